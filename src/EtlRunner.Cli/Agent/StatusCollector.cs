using EtlRunner.Scheduling;
using EtlRunner.State;
using Quartz;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// Builds the <see cref="AgentStatus"/>: the schedules from the Quartz scheduler (the agent's own, or one built on its
/// store to read it), the agents and running operations from the agent itself or its <see cref="IAgentBoard"/>, the
/// last runs and each schedule's last status from the state store's history.
/// </summary>
internal static class StatusCollector
{
    /// <summary>How many runs the status shows.</summary>
    public const int RecentRuns = 10;

    /// <summary>How many history entries are read to find the last runs and each schedule's last status.</summary>
    private const int HistoryDepth = 500;

    /// <summary>A fire due longer than this and still not taken is pending (an agent takes a due fire within milliseconds).</summary>
    public static readonly TimeSpan PendingAfter = TimeSpan.FromSeconds(2);

    public static async Task<AgentStatus> CollectAsync(
        IScheduler scheduler, IReadOnlyList<AgentView> agents, IReadOnlyList<RunningOperation> running, IStateStore? state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var history = state?.History(null, null, HistoryDepth) ?? [];
        var pipelines = new Dictionary<string, string>(StringComparer.Ordinal); // history's canonical path -> the pipeline's id
        var schedules = new List<ScheduleStatus>();
        foreach (var group in (await scheduler.GetJobGroupNames(cancellationToken)).Order(StringComparer.Ordinal))
        {
            foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(group), cancellationToken)).OrderBy(k => k.Name, StringComparer.Ordinal))
            {
                var file = (await scheduler.GetJobDetail(key, cancellationToken))?.Description;
                var path = file is null ? null : CanonicalPath.Of(file);
                if (path is not null)
                {
                    pipelines.TryAdd(path, group);
                }

                var last = history.FirstOrDefault(e => e.Pipeline == path && e.Schedule?.Name == key.Name)?.Status;
                // The schedule's own trigger shares the job's key; the others are Quartz's one-off triggers recovering
                // a fire of an agent that died, which count only towards what is pending.
                var triggers = await scheduler.GetTriggersOfJob(key, cancellationToken);
                if (triggers.FirstOrDefault(t => t.Key.Name == key.Name && t.Key.Group == key.Group) is not { } own)
                {
                    continue;
                }

                DateTimeOffset? pending = null;
                foreach (var trigger in triggers)
                {
                    // Due, not taken, and not held back by a run in progress (Blocked): no agent that may run it is up.
                    if (await scheduler.GetTriggerState(trigger.Key, cancellationToken) == TriggerState.Normal
                        && trigger.NextFireTimeUtc is { } due && now - due > PendingAfter && (pending is null || due < pending))
                    {
                        pending = due;
                    }
                }

                var zone = (own as ICronTrigger)?.TimeZone ?? TimeZoneInfo.Utc;
                var enabled = await scheduler.GetTriggerState(own.Key, cancellationToken) != TriggerState.Paused;
                schedules.Add(new ScheduleStatus(group, key.Name, zone.Id, enabled, InZone(own.NextFireTimeUtc, zone), InZone(own.PreviousFireTimeUtc, zone), last)
                {
                    Version = own.ExecutionGroup,
                    PendingSince = InZone(pending, zone),
                    PendingSeconds = pending is { } p ? Math.Round((now - p).TotalSeconds, 1) : null,
                });
            }
        }

        var runs = history.GroupBy(e => e.RunId).Take(RecentRuns).Select(g =>
        {
            var first = g.Last(); // history is newest first
            var failed = g.FirstOrDefault(e => e.Status != "success");
            return new RecentRun(
                g.Key, pipelines.GetValueOrDefault(first.Pipeline, first.Pipeline), first.Schedule?.Name, first.Schedule?.FireTimeUtc, failed?.Status ?? "success",
                first.Start, g.Max(e => e.End), g.Sum(e => e.Read), g.Sum(e => e.Filtered), g.Sum(e => e.Written), g.Sum(e => e.Skipped), g.Sum(e => e.Rejected), failed?.Error);
        }).ToList();
        var withRuns = agents.Select(a => a with
        {
            Running = [.. running.Where(r => r.Agent == a.Name).Select(r => $"{r.Pipeline} {r.Schedule} {ScheduleFire.Format(r.FireTime)}")],
        }).ToList();
        return new AgentStatus(now, withRuns, schedules, running, runs);
    }

    private static DateTimeOffset? InZone(DateTimeOffset? time, TimeZoneInfo zone) => time is { } t ? TimeZoneInfo.ConvertTime(t, zone) : null;
}
