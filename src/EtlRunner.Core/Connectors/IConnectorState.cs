namespace EtlRunner.Connectors;

/// <summary>Small named values a connector keeps between runs for one connection (never printed).</summary>
public interface IConnectorState
{
    string? Get(string key);

    void Set(string key, string value);
}
