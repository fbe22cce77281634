namespace EtlRunner.Connectors.Tests.Support;

public sealed class InMemoryConnectorState : IConnectorState
{
    private readonly Dictionary<string, string> _values = [];

    public string? Get(string key) => _values.GetValueOrDefault(key);

    public void Set(string key, string value) => _values[key] = value;
}
