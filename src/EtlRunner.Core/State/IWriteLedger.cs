namespace EtlRunner.State;

/// <summary>Where a record's write stands in the ledger.</summary>
public enum LedgerState
{
    /// <summary>Never attempted.</summary>
    None,

    /// <summary>Sent (or about to be), outcome unknown: a crash happened before it was confirmed.</summary>
    Pending,

    /// <summary>Confirmed written.</summary>
    Done,
}

/// <summary>
/// The crash-safe write ledger of one operation: each record is recorded with an idempotency key (source key and
/// payload hash) before it is sent and confirmed after, so a run killed at any moment, or stopped by a fault, and
/// started again neither loses nor repeats a write. It is cleared when the operation succeeds.
/// </summary>
public interface IWriteLedger
{
    LedgerState Lookup(string key, out string? runId);

    /// <summary>Records intent for a batch of keys, durably, before the target is called.</summary>
    void MarkPending(IReadOnlyList<string> keys, string runId);

    /// <summary>Confirms keys as written, durably.</summary>
    void MarkDone(IReadOnlyList<string> keys, string runId);

    /// <summary>Forgets keys whose write did not happen (rejected), so a replay can send them again.</summary>
    void Forget(IReadOnlyList<string> keys);

    /// <summary>Forgets the whole ledger: the operation finished its job, the next run starts afresh.</summary>
    void Clear();
}
