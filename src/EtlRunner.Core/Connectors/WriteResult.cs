namespace EtlRunner.Connectors;

/// <summary>A record the target refused, with the reason in words a user can act on.</summary>
public sealed record RejectedRecord(Record Record, string Reason)
{
    /// <summary>A machine-readable code for the reason, e.g. the API's <c>error_key</c> or <c>constraint</c>.</summary>
    public string? Code { get; init; }
}

/// <summary>The outcome of one <see cref="ISink.WriteAsync"/> call.</summary>
public sealed class WriteResult
{
    private static readonly IReadOnlyList<RejectedRecord> NoRejects = [];

    public WriteResult(int written, int skipped = 0, IReadOnlyList<RejectedRecord>? rejected = null, string? stopReason = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(written);
        ArgumentOutOfRangeException.ThrowIfNegative(skipped);
        Written = written;
        Skipped = skipped;
        Rejected = rejected ?? NoRejects;
        StopReason = stopReason;
    }

    /// <summary>Records created, updated or deleted.</summary>
    public int Written { get; }

    /// <summary>Records deliberately not written (<c>on_conflict: skip</c>, nothing to change).</summary>
    public int Skipped { get; }

    public IReadOnlyList<RejectedRecord> Rejected { get; }

    /// <summary>Set when the target cannot go on (quota exhausted): the engine stops the operation and fails it.</summary>
    public string? StopReason { get; }

    public int Total => Written + Skipped + Rejected.Count;

    /// <summary>
    /// How <see cref="Written"/> divides into creates, updates and deletes, and how many of <see cref="Skipped"/> were
    /// already identical; <c>null</c> when the target cannot tell (the records count as written only).
    /// </summary>
    public WriteKinds? Kinds { get; init; }

    /// <summary>
    /// In a preview (<see cref="ActivityContext.Preview"/>): what the target would do with each record of the batch,
    /// in batch order, one entry per record (rejected ones too); <c>null</c> otherwise.
    /// </summary>
    public IReadOnlyList<RecordPreview>? Previews { get; init; }

    public static WriteResult AllWritten(int count) => new(count);
}

/// <summary>
/// How a batch's written records divide (<see cref="WriteResult.Kinds"/>). <c>Created + Updated + Deleted</c> equals
/// <see cref="WriteResult.Written"/>, and <see cref="Unchanged"/> is at most <see cref="WriteResult.Skipped"/> (the rest
/// were skipped by choice, <c>on_conflict: skip</c>).
/// </summary>
public readonly record struct WriteKinds(int Created, int Updated, int Deleted, int Unchanged);

/// <summary>What a target did, or in a preview would do, with one record.</summary>
public enum RecordAction
{
    Create = 1,
    Update,
    Delete,

    /// <summary>Not written: identical already, or skipped by choice (<c>on_conflict: skip</c>).</summary>
    Skip,

    Reject,
}

/// <summary>What a target would do with one record in a preview, and why.</summary>
/// <param name="Record">The record as the target got it.</param>
/// <param name="Action">What the real write would do with it.</param>
public sealed record RecordPreview(Record Record, RecordAction Action)
{
    /// <summary>The record's key at the target (an email address, the table's key), for the preview file.</summary>
    public string? Key { get; init; }

    /// <summary>For an update: the target fields whose value would change.</summary>
    public IReadOnlyList<string>? ChangedFields { get; init; }

    /// <summary>For a skip or a reject: the reason, as the real run would give it.</summary>
    public string? Reason { get; init; }
}
