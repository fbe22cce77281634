using EtlRunner.Connectors;
using EtlRunner.Connectors.Sqlite;

namespace EtlRunner;

/// <summary>Registers the <c>sqlite</c> connector.</summary>
public static class SqliteConnectorRegistryExtensions
{
    public static ConnectorRegistry AddSqlite(this ConnectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new SqliteConnector());
    }
}
