namespace EtlRunner.Connectors;

/// <summary>
/// The target side of an operation (a <c>create</c>, <c>update</c> or <c>delete</c> activity).
/// </summary>
/// <remarks>
/// <para>Contract: <see cref="WriteAsync"/> accounts for every record it is given, exactly once, in its
/// <see cref="WriteResult"/>: written, skipped, or rejected with a reason. A record a target refuses
/// (400, constraint violation) is a reject, not an exception.</para>
/// <para>Throw only when nothing in the batch was written (the engine rejects the whole batch with the
/// error and fails the operation). When a fault stops the target half-way (quota exhausted), return the
/// records done so far, reject the rest with the reason, and set <see cref="WriteResult.StopReason"/>.</para>
/// </remarks>
public interface ISink : IAsyncDisposable
{
    /// <summary>The batch size this target wants, overriding <c>options.batch_size</c> (bulk APIs); <c>null</c> to follow the options.</summary>
    int? PreferredBatchSize => null;

    /// <summary>
    /// True when each completed <see cref="WriteAsync"/> is durable on its own (an API call, a committed transaction),
    /// so the engine keeps a write ledger and an interrupted run resumes without repeating writes. False when
    /// nothing lands before <see cref="CompleteAsync"/> (a file written to a temp name and renamed at the end).
    /// </summary>
    bool DurableBatches => true;

    /// <summary>
    /// True when the target already holds data this operation might have written (rows in the table, contacts in the
    /// account). Asked once, before the first batch, only when the state database has no history of the pipeline (it
    /// was deleted): the engine then flags every record (<see cref="ISinkContext.MayHaveBeenWritten"/>) so the target
    /// checks before writing. False (the default) when the target cannot tell or cannot check.
    /// </summary>
    ValueTask<bool> HoldsDataAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>
    /// For a target that appends to one file: its length in bytes with every completed <see cref="WriteAsync"/> in it
    /// (before the first write: the length it had), kept in the write ledger with each batch; <c>null</c> otherwise.
    /// </summary>
    long? Position => null;

    /// <summary>
    /// Called before the first write when an interrupted run's ledger recorded a <see cref="Position"/>: cut the file
    /// back to it, so what that run appended for batches it never confirmed is not there twice.
    /// </summary>
    void Rewind(long position)
    {
    }

    /// <summary>
    /// True when the sink, created with <see cref="ActivityContext.Preview"/>, previews: it changes nothing and returns
    /// <see cref="WriteResult.Previews"/>. False (the default): a dry run counts the records as "would write" without it.
    /// </summary>
    bool CanPreview => false;

    /// <summary>For a previewing API target: the requests the real run would send for what it previewed so far; <c>null</c> otherwise.</summary>
    long? PreviewRequests => null;

    ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken);

    /// <summary>
    /// How many records the target holds now (contacts in the account, rows in the table), asked once before the first
    /// write when a guard is a percentage (<c>max_deletes: 5%</c>); <c>null</c> when the target cannot tell.
    /// </summary>
    ValueTask<long?> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);

    /// <summary>Called once after the last batch of a successful read: commit, flush, close files.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>What a target may tell the engine while it writes, and what the engine tells it.</summary>
public interface ISinkContext
{
    /// <summary>Shows why the target is waiting (rate limit, retry backoff, bulk activity polling); <c>null</c> clears it.</summary>
    void ReportWaiting(string? reason);

    /// <summary>
    /// True when the write ledger says an earlier attempt at this record was sent but never confirmed (the run was
    /// killed): the target must check whether it took effect before writing again (e.g. look the contact up by email),
    /// and count it as written (or skipped) rather than create a duplicate or reject it as a conflict.
    /// </summary>
    bool MayHaveBeenWritten(Record record) => false;

    /// <summary>
    /// Why the target must stop sending now, counting <paramref name="rejectedInBatch"/> records it has rejected in
    /// the batch at hand (options.max_rejects passed, the operation stopped); <c>null</c> to go on. A target that sends
    /// record by record asks before each one, rejects the rest of the batch with the reason and sets
    /// <see cref="WriteResult.StopReason"/>.
    /// </summary>
    string? StopSending(int rejectedInBatch) => null;

    /// <summary>
    /// A target that writes record by record tells the engine, as it goes, that <paramref name="records"/> more records of
    /// the batch at hand are done (written, skipped or rejected), so the live view moves per record rather than per batch.
    /// Progress only: the batch's <see cref="WriteResult"/> is what is counted.
    /// </summary>
    void ReportDone(int records)
    {
    }
}
