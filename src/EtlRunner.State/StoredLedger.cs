namespace EtlRunner.State;

/// <summary>The write ledger of one operation in the state database: one row per batch.</summary>
internal sealed class StoredLedger(SqliteStateStore store, string pipeline, string operation) : IWriteLedger
{
    public IReadOnlyDictionary<long, LedgerEntry> Load() => store.LedgerEntries(pipeline, operation);

    public void MarkPending(long sequence, string hash, string runId, LedgerMark mark) => store.ExecutePrepared(
        "INSERT OR REPLACE INTO ledger (pipeline, operation, sequence, hash, state, run_id, rejects_length, target_length) VALUES ($p, $o, $s, $h, 1, $r, $rl, $tl)",
        ("$p", pipeline), ("$o", operation), ("$s", sequence), ("$h", hash), ("$r", runId), ("$rl", mark.RejectsLength), ("$tl", mark.TargetLength));

    public void MarkDone(long sequence, string runId, LedgerMark mark) => store.ExecutePrepared(
        "UPDATE ledger SET state = 2, run_id = $r, rejects_length = $rl, target_length = $tl WHERE pipeline = $p AND operation = $o AND sequence = $s",
        ("$p", pipeline), ("$o", operation), ("$s", sequence), ("$r", runId), ("$rl", mark.RejectsLength), ("$tl", mark.TargetLength));

    public void Settle(string runId, long rejectsLength) => store.Execute(
        "UPDATE ledger SET rejects_length = $rl WHERE pipeline = $p AND operation = $o AND run_id = $r",
        ("$p", pipeline), ("$o", operation), ("$r", runId), ("$rl", rejectsLength));

    public void Forget(long sequence) => store.Execute(
        "DELETE FROM ledger WHERE pipeline = $p AND operation = $o AND sequence = $s", ("$p", pipeline), ("$o", operation), ("$s", sequence));
}
