using EtlRunner.Execution;

namespace EtlRunner.Cli.Output;

/// <summary>
/// One operation's progress at one moment, worked out once for the live display and the plain lines alike: the
/// counts, the elapsed time, the share of the source read when the source knows its size, and what it is waiting for.
/// </summary>
internal readonly record struct ProgressSnapshot(OperationCounts Counts, TimeSpan Elapsed, double? ReadFraction = null, string? Waiting = null)
{
    public static ProgressSnapshot Of(OperationStats stats, TimeSpan elapsed)
    {
        var (position, total) = stats.SourceProgress;
        double? read = total is > 0 && position > 0 ? Math.Min(1.0, (double)position / total.Value) : null;
        return new ProgressSnapshot(stats.Live(), elapsed, read, stats.Waiting);
    }

    /// <summary>The final figures of an operation that has ended.</summary>
    public static ProgressSnapshot Of(OperationResult result) => new(result.Counts, result.Duration);

    /// <summary>
    /// How far the operation has come: the share of the source read, times the share of what was read that has been
    /// written, filtered, skipped or rejected (a small file is read at once, but the operation is not done until its
    /// target has caught up).
    /// </summary>
    public double? Fraction => ReadFraction is { } read ? read * (Counts.Read > 0 ? Math.Min(1.0, (double)Accounted / Counts.Read) : 1.0) : null;

    /// <summary>The write rate: records written per second so far.</summary>
    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? Counts.Written / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// The time left when the source knows its size: the longer of what reading the rest of the source and handling
    /// every record it holds take at the pace so far, so a target slower than the source is not hidden by a fast read.
    /// </summary>
    public TimeSpan? Remaining
    {
        get
        {
            if (ReadFraction is not { } read || read <= 0 || Accounted <= 0 || Elapsed <= TimeSpan.Zero)
            {
                return null;
            }

            var reading = Elapsed.TotalSeconds * (1 - read) / read;
            var handling = (Counts.Read / read - Accounted) / (Accounted / Elapsed.TotalSeconds);
            return TimeSpan.FromSeconds(Math.Max(reading, Math.Max(0, handling)));
        }
    }

    /// <summary>The records read that have been written, filtered, skipped or rejected.</summary>
    private long Accounted => Counts.Filtered + Counts.Written + Counts.Skipped + Counts.Rejected;
}
