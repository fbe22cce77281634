using System.Collections.Concurrent;
using EtlRunner.Execution;
using EtlRunner.Planning;
using EtlRunner.Scheduling;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// The agent's live view of its scheduled runs: each run's observer (<see cref="Track"/>, passed to the runner as
/// <see cref="RunOptions.Observer"/>) keeps its current operation and that operation's live counters.
/// </summary>
internal sealed class StatusProgress
{
    private readonly ConcurrentDictionary<Tracker, byte> _running = new();

    /// <summary>Follows one fire's run until disposed.</summary>
    public Tracker Track(AgentSchedule entry, ScheduleFire fire)
    {
        var tracker = new Tracker(this, entry.PipelineId, fire);
        _running.TryAdd(tracker, 0);
        return tracker;
    }

    public IReadOnlyList<RunningOperation> Snapshot(string agent, DateTimeOffset now) =>
        [.. _running.Keys.Select(t => t.Describe(agent, now)).OrderBy(r => r.FireTime).ThenBy(r => r.Pipeline, StringComparer.Ordinal)];

    internal sealed class Tracker(StatusProgress owner, string pipeline, ScheduleFire fire) : IRunObserver, IDisposable
    {
        private volatile Current? _current;

        public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom) => _current = new Current(plan.Name, stats);

        public void OperationFinished(OperationResult result)
        {
        }

        public RunningOperation Describe(string agent, DateTimeOffset now)
        {
            var current = _current;
            var c = current?.Stats.Snapshot() ?? new OperationCounts(0, 0, 0, 0, 0);
            return new RunningOperation(agent, pipeline, fire.Name, fire.FireTimeUtc, current?.Operation, c.Read, c.Filtered, c.Written, c.Skipped, c.Rejected, now);
        }

        public void Dispose() => owner._running.TryRemove(this, out _);

        private sealed record Current(string Operation, OperationStats Stats);
    }
}
