namespace EtlRunner.State;

/// <summary>The write ledger of one operation in the state database: one row per batch.</summary>
internal sealed class StoredLedger(SqliteStateStore store, string pipeline, string operation) : IWriteLedger
{
    public IReadOnlyDictionary<long, LedgerEntry> Load() => store.LedgerEntries(pipeline, operation);

    public void MarkPending(long sequence, string hash, string runId) => store.Execute(
        "INSERT OR REPLACE INTO ledger (pipeline, operation, sequence, hash, state, run_id) VALUES ($p, $o, $s, $h, 1, $r)",
        ("$p", pipeline), ("$o", operation), ("$s", sequence), ("$h", hash), ("$r", runId));

    public void MarkDone(long sequence, string runId) => store.Execute(
        "UPDATE ledger SET state = 2, run_id = $r WHERE pipeline = $p AND operation = $o AND sequence = $s",
        ("$p", pipeline), ("$o", operation), ("$s", sequence), ("$r", runId));

    public void Forget(long sequence) => store.Execute(
        "DELETE FROM ledger WHERE pipeline = $p AND operation = $o AND sequence = $s", ("$p", pipeline), ("$o", operation), ("$s", sequence));
}
