using EtlRunner.Connectors;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>The connectors this build of <c>etl</c> ships with.</summary>
internal static class ConnectorCatalog
{
    public static ConnectorRegistry Create() => new ConnectorRegistry()
        .AddCsv()
        .AddSqlite()
        .AddConstantContact();
}
