using EtlRunner.Connectors;
using EtlRunner.Connectors.Csv;

namespace EtlRunner;

/// <summary>Registers the <c>csv</c> connector.</summary>
public static class CsvConnectorRegistryExtensions
{
    public static ConnectorRegistry AddCsv(this ConnectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new CsvConnector());
    }
}
