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

    public static WriteResult AllWritten(int count) => new(count);
}
