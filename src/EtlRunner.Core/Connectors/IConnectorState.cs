namespace EtlRunner.Connectors;

/// <summary>Small named values a connector keeps between runs for one connection (never printed).</summary>
public interface IConnectorState
{
    string? Get(string key);

    void Set(string key, string value);

    /// <summary>
    /// Runs <paramref name="update"/> (read, refresh, store) alone across every process sharing this state: the agents
    /// of a group hold a lock per connection in PostgreSQL, so two never both refresh a token. A state of one process
    /// needs none.
    /// </summary>
    Task<T> ExclusiveAsync<T>(Func<Task<T>> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update();
    }
}
