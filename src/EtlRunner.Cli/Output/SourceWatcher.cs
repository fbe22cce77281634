using EtlRunner.Execution;
using EtlRunner.Planning;

namespace EtlRunner.Cli.Output;

/// <summary>
/// Watches a run for the summary: how far each operation's source had come (position and size when the source knows
/// it), so a cancelled operation can say how much of its source was never read. Passes everything on to the display.
/// </summary>
internal sealed class SourceWatcher(IRunObserver? display) : IRunObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OperationStats> _stats = new(StringComparer.Ordinal);

    public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom)
    {
        lock (_gate)
        {
            _stats[plan.Name] = stats;
        }

        display?.OperationStarted(plan, stats, chainedFrom);
    }

    public void OperationFinished(OperationResult result) => display?.OperationFinished(result);

    /// <summary>
    /// How much of the operation's source was never read: the share of it left, and about how many records that is
    /// (the records read, scaled by that share: a source's size may be in bytes, as a CSV's is, so it is an estimate);
    /// a share of 0 when it was read to the end; null when its size or position is unknown.
    /// </summary>
    public (double Share, long Records)? Unread(OperationResult result)
    {
        OperationStats? stats;
        lock (_gate)
        {
            stats = _stats.GetValueOrDefault(result.Name);
        }

        if (stats?.SourceProgress is not ({ } position, { } total) || total <= 0 || position <= 0)
        {
            return null;
        }

        var left = Math.Max(0, total - position);
        return ((double)left / total, (long)Math.Round(result.Counts.Read * (double)left / position));
    }
}
