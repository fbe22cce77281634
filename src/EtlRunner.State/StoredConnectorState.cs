using EtlRunner.Connectors;

namespace EtlRunner.State;

/// <summary>A connection's small state values (a rotated refresh token) in the state database.</summary>
internal sealed class StoredConnectorState(SqliteStateStore store, string pipeline, string connection) : IConnectorState
{
    public string? Get(string key) =>
        store.Scalar("SELECT value FROM connector_state WHERE pipeline = $p AND connection = $c AND key = $k", ("$p", pipeline), ("$c", connection), ("$k", key));

    public void Set(string key, string value) => store.Execute(
        "INSERT OR REPLACE INTO connector_state (pipeline, connection, key, value) VALUES ($p, $c, $k, $v)",
        ("$p", pipeline), ("$c", connection), ("$k", key), ("$v", value));
}
