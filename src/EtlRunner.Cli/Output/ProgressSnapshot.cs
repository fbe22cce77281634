using EtlRunner.Execution;

namespace EtlRunner.Cli.Output;

/// <summary>
/// One operation's progress at one moment, worked out once for the live display and the plain lines alike: the
/// counts, the elapsed time, how far the operation has come when its source knows its size, and what it is waiting for.
/// </summary>
internal readonly record struct ProgressSnapshot(OperationCounts Counts, TimeSpan Elapsed, double? Fraction = null, string? Waiting = null)
{
    public static ProgressSnapshot Of(OperationStats stats, TimeSpan elapsed)
    {
        var counts = stats.Snapshot();
        var (position, total) = stats.SourceProgress;
        double? fraction = null;
        if (total is > 0 && position > 0)
        {
            // The share of the source read, times the share of what was read that has been written, filtered, skipped
            // or rejected: a small file is read at once, but the operation is not done until its target has caught up.
            var read = Math.Min(1.0, (double)position / total.Value);
            var accounted = counts.Read > 0 ? Math.Min(1.0, (double)(counts.Filtered + counts.Written + counts.Skipped + counts.Rejected) / counts.Read) : 1.0;
            fraction = read * accounted;
        }

        return new ProgressSnapshot(counts, elapsed, fraction, stats.Waiting);
    }

    /// <summary>The final figures of an operation that has ended.</summary>
    public static ProgressSnapshot Of(OperationResult result) => new(result.Counts, result.Duration);

    public double RecordsPerSecond => Elapsed.TotalSeconds > 0 ? Counts.Read / Elapsed.TotalSeconds : 0;

    /// <summary>The time left at the pace so far, when the source knows its size.</summary>
    public TimeSpan? Remaining => Fraction is { } f && f > 0 ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (1 - f) / f) : null;
}
