namespace EtlRunner.State;

/// <summary>Where a batch's write stands in the ledger.</summary>
public enum LedgerState
{
    /// <summary>Sent (or about to be), outcome unknown: the run was killed before it was confirmed.</summary>
    Pending = 1,

    /// <summary>Confirmed: every record of the batch was accounted for by the target.</summary>
    Done = 2,
}

/// <summary>A batch as the ledger remembers it: its place in the operation's stream, a hash of its records, and where the files it appended to stood.</summary>
public sealed record LedgerEntry(long Sequence, string Hash, LedgerState State, string RunId, LedgerMark Mark);

/// <summary>
/// How long the files an operation appends to were at a ledger entry: before the batch while it is pending, after it
/// (its rejects fsynced) once confirmed. A resumed run cuts them back to these lengths, so what an interrupted run
/// appended for batches it never confirmed is not there twice.
/// </summary>
/// <param name="RejectsLength">The run's rejects file, in bytes; in a store that keeps rejects (<see cref="IStateStore.Rejects"/>), its number of lines.</param>
/// <param name="TargetLength">The target file of an append target (<see cref="Connectors.ISink.Position"/>), or null.</param>
public readonly record struct LedgerMark(long RejectsLength, long? TargetLength);

/// <summary>
/// The crash-safe write ledger of one operation. Each batch handed to the target is recorded, with its position in
/// the operation's record stream and a hash of its records (their source keys and payloads), before it is sent and
/// confirmed after. A run killed at any moment, or stopped by a fault, and started again skips the batches already
/// confirmed and asks the target to check the ones left pending, so nothing is lost or written twice. Cleared when
/// the operation succeeds, with its history row (<see cref="IStateStore.OperationFinished"/>). One small row per
/// batch keeps it cheap for fast targets.
/// </summary>
public interface IWriteLedger
{
    /// <summary>Every entry of the operation (after an interrupted run), by sequence.</summary>
    IReadOnlyDictionary<long, LedgerEntry> Load();

    /// <summary>Records a batch as pending, durably, before the target is called.</summary>
    void MarkPending(long sequence, string hash, string runId, LedgerMark mark);

    /// <summary>Confirms a batch, durably.</summary>
    void MarkDone(long sequence, string runId, LedgerMark mark);

    /// <summary>
    /// Confirms a batch together with the rejects lines not yet stored, in one transaction: they are the lines up to
    /// <see cref="LedgerMark.RejectsLength"/> of the run's operation (<see cref="IStateStore.Rejects"/>). Only a store
    /// that keeps rejects takes lines; for the others they are in the rejects file already, fsynced.
    /// </summary>
    /// <exception cref="NotSupportedException">Lines given to a ledger whose store keeps no rejects.</exception>
    void MarkDone(long sequence, string runId, LedgerMark mark, IReadOnlyList<string> rejects)
    {
        ArgumentNullException.ThrowIfNull(rejects);
        if (rejects.Count > 0)
        {
            throw new NotSupportedException("this state store keeps no rejects: they go to the rejects file");
        }

        MarkDone(sequence, runId, mark);
    }

    /// <summary>
    /// Records that a run ended (failed or cancelled, not killed) with its rejects file <paramref name="rejectsLength"/>
    /// bytes long: the file is complete, and a later run must not cut it back.
    /// </summary>
    void Settle(string runId, long rejectsLength);

    /// <summary>Forgets a batch whose write did not happen (the target failed before writing).</summary>
    void Forget(long sequence);
}
