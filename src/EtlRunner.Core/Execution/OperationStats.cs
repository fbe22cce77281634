using EtlRunner.Connectors;

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
    private long _created;
    private long _updated;
    private long _deleted;
    private long _unchanged;
    private long _untyped; // written records whose target did not say what it did with them
    private int _kindsSaid; // 1 once a batch's result said its kinds
    private long _provisional;
    private long _sourcePosition;
    private long _sourceTotal = -1;
    private string? _waiting;

    public long Read => Interlocked.Read(ref _read);

    public long Filtered => Interlocked.Read(ref _filtered);

    public long Written => Interlocked.Read(ref _written);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>
    /// Records of the batch at hand that the target said are done (<see cref="ISinkContext.ReportDone"/>), not counted
    /// yet: progress only, replaced by the batch's result when it returns.
    /// </summary>
    public long Provisional => Interlocked.Read(ref _provisional);

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

    /// <summary>Counts <paramref name="written"/> records as written and <paramref name="skipped"/> as skipped, divided as <paramref name="kinds"/> says (null: not said).</summary>
    internal void AddWrite(int written, int skipped, WriteKinds? kinds)
    {
        // Kinds that do not add up are a connector's bug: its records count as written, of no known kind.
        if (kinds is { } k && k.Created + k.Updated + k.Deleted == written && k.Unchanged <= skipped && k.Created >= 0 && k.Updated >= 0 && k.Deleted >= 0 && k.Unchanged >= 0)
        {
            Interlocked.Add(ref _created, k.Created);
            Interlocked.Add(ref _updated, k.Updated);
            Interlocked.Add(ref _deleted, k.Deleted);
            Interlocked.Add(ref _unchanged, k.Unchanged);
            Interlocked.Exchange(ref _kindsSaid, 1);
        }
        else
        {
            Interlocked.Add(ref _untyped, written);
        }

        AddWritten(written);
        AddSkipped(skipped);
    }

    /// <summary>Counts every written record as rejected instead (a target that never committed them); returns how many.</summary>
    internal long DiscardWritten()
    {
        var written = Written;
        AddWritten(-written);
        AddRejected(written);
        Interlocked.Exchange(ref _created, 0);
        Interlocked.Exchange(ref _updated, 0);
        Interlocked.Exchange(ref _deleted, 0);
        Interlocked.Exchange(ref _untyped, 0);
        return written;
    }

    internal void AddProvisional(long count) => Interlocked.Add(ref _provisional, count);

    internal void ClearProvisional() => Interlocked.Exchange(ref _provisional, 0);

    internal void SetSourceProgress(long position, long? total)
    {
        Interlocked.Exchange(ref _sourcePosition, position);
        Interlocked.Exchange(ref _sourceTotal, total ?? -1);
    }

    internal void SetWaiting(string? reason) => Volatile.Write(ref _waiting, reason);

    /// <summary>The exact counts: what the results of the target's batches said.</summary>
    public OperationCounts Snapshot() => new(Read, Filtered, Written, Skipped, Rejected) { Kinds = Kinds() };

    /// <summary>
    /// The counts for a progress display: the records the target reported done in the batch at hand count as written
    /// until its result replaces them (cleared before that result is added, so a record is never counted twice).
    /// </summary>
    public OperationCounts Live() => Snapshot() is var counts && Provisional is > 0 and var done ? counts with { Written = counts.Written + done } : counts;

    /// <summary>Null until the target said what it did, or when it did not for some of what it wrote.</summary>
    private OperationKinds? Kinds() => Volatile.Read(ref _kindsSaid) == 0 || Interlocked.Read(ref _untyped) > 0
        ? null
        : new OperationKinds(Interlocked.Read(ref _created), Interlocked.Read(ref _updated), Interlocked.Read(ref _deleted), Interlocked.Read(ref _unchanged));
}

/// <summary>The record counts of an operation at one moment.</summary>
public sealed record OperationCounts(long Read, long Filtered, long Written, long Skipped, long Rejected)
{
    public bool Balanced => Read == Filtered + Written + Skipped + Rejected;

    /// <summary>How the written records divide into creates, updates and deletes, and how many skipped were identical; null when the target did not say.</summary>
    public OperationKinds? Kinds { get; init; }
}

/// <summary>What the target did with the written (and skipped) records: <c>created + updated + deleted = written</c>, <c>unchanged &lt;= skipped</c>.</summary>
public sealed record OperationKinds(long Created, long Updated, long Deleted, long Unchanged);
