namespace EtlRunner.State;

/// <summary>The write ledger of one operation in the state database.</summary>
internal sealed class StoredLedger(SqliteStateStore store, string pipeline, string operation) : IWriteLedger
{
    public LedgerState Lookup(string key, out string? runId)
    {
        var row = store.Row("SELECT state, run_id FROM ledger WHERE pipeline = $p AND operation = $o AND key = $k", ("$p", pipeline), ("$o", operation), ("$k", key));
        runId = row?.RunId;
        return row is null ? LedgerState.None : (LedgerState)row.Value.State;
    }

    public void MarkPending(IReadOnlyList<string> keys, string runId) => store.ExecuteForEach(
        "INSERT INTO ledger (pipeline, operation, key, state, run_id) VALUES ($p, $o, $key, 1, $r) ON CONFLICT DO UPDATE SET run_id = $r WHERE state = 1",
        keys, ("$p", pipeline), ("$o", operation), ("$r", runId));

    public void MarkDone(IReadOnlyList<string> keys, string runId) => store.ExecuteForEach(
        "INSERT OR REPLACE INTO ledger (pipeline, operation, key, state, run_id) VALUES ($p, $o, $key, 2, $r)",
        keys, ("$p", pipeline), ("$o", operation), ("$r", runId));

    public void Clear() => store.Execute("DELETE FROM ledger WHERE pipeline = $p AND operation = $o", ("$p", pipeline), ("$o", operation));

    public void Forget(IReadOnlyList<string> keys) => store.ExecuteForEach(
        "DELETE FROM ledger WHERE pipeline = $p AND operation = $o AND key = $key", keys, ("$p", pipeline), ("$o", operation));
}
