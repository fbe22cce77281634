using EtlRunner.Connectors;

namespace EtlRunner.State;

/// <summary>
/// A connection's small state values (a rotated refresh token) in PostgreSQL, shared by the agents of a group.
/// <see cref="ExclusiveAsync"/> holds a per-connection advisory lock, so two agents never both refresh a token.
/// </summary>
internal sealed class PostgresConnectorState(PostgresStateStore store, string pipeline, string connection) : IConnectorState
{
    public string? Get(string key) => store.Read(c => (string?)PostgresSql.Command(c, null,
        "SELECT value FROM etl_connector_state WHERE pipeline = @p AND connection = @c AND key = @k", ("p", pipeline), ("c", connection), ("k", key)).ExecuteScalar());

    public void Set(string key, string value) => store.Read(c => PostgresStateStore.Execute(c, null,
        """
        INSERT INTO etl_connector_state (pipeline, connection, key, value) VALUES (@p, @c, @k, @v)
        ON CONFLICT (pipeline, connection, key) DO UPDATE SET value = EXCLUDED.value
        """, ("p", pipeline), ("c", connection), ("k", key), ("v", value)));

    public Task<T> ExclusiveAsync<T>(Func<Task<T>> update, CancellationToken cancellationToken) =>
        store.LockedAsync($"etl-connection:{pipeline}:{connection}", update, cancellationToken);
}
