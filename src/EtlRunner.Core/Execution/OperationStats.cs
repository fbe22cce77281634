namespace EtlRunner.Execution;

/// <summary>
/// Live counters of one operation, updated by its stages and read by progress displays. The invariant the
/// engine checks at the end: <c>read = filtered + written + skipped + rejected</c>.
/// </summary>
public sealed class OperationStats
{
    private long _read;
    private long _filtered;
    private long _written;
    private long _skipped;
    private long _rejected;
    private long _sourcePosition;
    private long _sourceTotal = -1;
    private string? _waiting;

    public long Read => Interlocked.Read(ref _read);

    public long Filtered => Interlocked.Read(ref _filtered);

    public long Written => Interlocked.Read(ref _written);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Records read and not yet accounted for (in flight between stages).</summary>
    public long InFlight => Read - Filtered - Written - Skipped - Rejected;

    /// <summary>How far the source has come (bytes, records), and its total when known.</summary>
    public (long Position, long? Total) SourceProgress
    {
        get
        {
            var total = Interlocked.Read(ref _sourceTotal);
            return (Interlocked.Read(ref _sourcePosition), total < 0 ? null : total);
        }
    }

    /// <summary>Why the operation is waiting right now (rate limit, retry), or null.</summary>
    public string? Waiting => Volatile.Read(ref _waiting);

    internal void AddRead(long count) => Interlocked.Add(ref _read, count);

    internal void AddFiltered(long count) => Interlocked.Add(ref _filtered, count);

    internal void AddWritten(long count) => Interlocked.Add(ref _written, count);

    internal void AddSkipped(long count) => Interlocked.Add(ref _skipped, count);

    internal long AddRejected(long count) => Interlocked.Add(ref _rejected, count);

    internal void SetSourceProgress(long position, long? total)
    {
        Interlocked.Exchange(ref _sourcePosition, position);
        Interlocked.Exchange(ref _sourceTotal, total ?? -1);
    }

    internal void SetWaiting(string? reason) => Volatile.Write(ref _waiting, reason);

    public OperationCounts Snapshot() => new(Read, Filtered, Written, Skipped, Rejected);
}

/// <summary>The record counts of an operation at one moment.</summary>
public sealed record OperationCounts(long Read, long Filtered, long Written, long Skipped, long Rejected)
{
    public bool Balanced => Read == Filtered + Written + Skipped + Rejected;
}
