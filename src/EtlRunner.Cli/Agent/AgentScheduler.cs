using EtlRunner.Model;
using EtlRunner.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// The agent's Quartz.NET scheduler: the ADO.NET job store on SQLite (Microsoft.Data.Sqlite) in the state folder,
/// not clustered, or in a group Quartz's clustered job store on PostgreSQL (Npgsql; one scheduler name per group, the
/// agent's name as instance id), with the tables created by Quartz itself (ProvisionSchema). Each schedule is a durable job that
/// requests recovery, so a fire interrupted by a crash is fired again, with its original fire time, when the agent
/// comes back; its cron trigger carries the schedule's time zone, misfire and overlap policies.
/// </summary>
internal static class AgentScheduler
{
    /// <summary>A fire time later than this is a misfire (the agent was down, or every thread was busy).</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromSeconds(5);

    /// <summary>How often an agent of a group checks in (Quartz's cluster check-in).</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long past a missed check-in the group waits before recovering an agent's fires (about 7 s to notice a death in trials).</summary>
    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(3);

    /// <summary>The agent's scheduler on its store, with the files' schedules registered; not started (nothing fires yet).</summary>
    public static async Task<IScheduler> CreateAsync(AgentCatalog catalog, int threads, CancellationToken cancellationToken)
    {
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = catalog.Group?.InstanceName ?? "etl-agent";
                o.InstanceId = catalog.Name;
                o.ShutdownJobInterruption = ShutdownJobInterruption.Never; // a stop lets the runs in progress finish
                if (catalog.Group is { } group)
                {
                    // Quartz hands a fire only to a node that serves its trigger's execution group: this agent serves
                    // the versions it registered, so it is never handed a fire of a pipeline it lacks or holds
                    // another copy of (nor the recovery of one, which keeps its group). Never empty: empty is "all".
                    o.ServedExecutionGroups.Add(group.NoVersionGroup);
                    o.ServedExecutionGroups.AddRange(catalog.Schedules.Values.Select(s => s.ExecutionGroup!).Distinct(StringComparer.Ordinal));
                }
            });
            q.Services.AddSingleton(catalog);

            // The job the stored schedules name ("EtlRunner.Cli.Agent.ScheduledRunJob, etl"), registered so Quartz
            // resolves the name without reflection: the compiled tool turns Quartz's Type.GetType fallback off
            // (Quartz.TypeNameResolution.IsSupported), and a schedule the files left unchanged is never rebuilt
            // through JobBuilder.Create<T>, so without this an agent restarted on its store would set it to ERROR.
            q.AddJobType<ScheduledRunJob>();
            q.UseTimeProvider(catalog.TimeProvider);
            q.UseDefaultThreadPool(threads);
            q.UsePersistentStore(store =>
            {
                if (catalog.Group is { } group)
                {
                    store.UsePostgres(NpgsqlFactory.Instance, group.Connection.ConnectionString);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = CheckinInterval;
                        c.CheckinMisfireThreshold = CheckinMisfireThreshold;
                    });
                }
                else
                {
                    store.UseSqlite(SqliteFactory.Instance, $"Data Source={catalog.ScheduleDatabase}");
                }

                store.ProvisionSchema();
                store.ConfigureStore(o => o.MisfireThreshold = MisfireThreshold);
            });
        }).BuildScheduler(cancellationToken);
        await RegisterAsync(scheduler, catalog, cancellationToken);
        return scheduler;
    }

    /// <summary>
    /// Brings the store in line with the files: a schedule whose trigger is unchanged keeps it (and so its next fire
    /// time, which is how a misfire after downtime is seen); a new or changed one is replaced; one no longer in the
    /// files, or disabled, is deleted. In a group, only the schedules of the pipelines this agent runs are touched:
    /// the others are other agents' to keep.
    /// </summary>
    private static async Task RegisterAsync(IScheduler scheduler, AgentCatalog catalog, CancellationToken cancellationToken)
    {
        var logger = catalog.LoggerFactory.CreateLogger("EtlRunner.Agent");
        var pipelines = catalog.Schedules.Values.Select(s => s.PipelineId).ToHashSet(StringComparer.Ordinal);
        foreach (var stored in (await scheduler.QueryJobs(new JobQuery(), cancellationToken)).Items.Where(j => !catalog.Schedules.ContainsKey(j.Key) && (catalog.Group is null || pipelines.Contains(j.Key.Group))))
        {
            await scheduler.DeleteJob(stored.Key, cancellationToken);
            logger.LogInformation("Schedule {Schedule} of {Pipeline} removed from the schedule store: it is no longer in the files, or disabled", stored.Key.Name, stored.Key.Group);
        }

        foreach (var (key, entry) in catalog.Schedules)
        {
            var trigger = Trigger(entry, catalog.TimeProvider);
            if ((await scheduler.GetTrigger(trigger.Key, cancellationToken))?.Description == trigger.Description)
            {
                // A trigger Quartz set to ERROR (its job type could not be resolved, as happened to an agent restarted
                // on its store before the job type was registered) never fires again on its own: put it back.
                if (await scheduler.GetTriggerState(trigger.Key, cancellationToken) == TriggerState.Error)
                {
                    await scheduler.ResetTriggerFromErrorState(trigger.Key, cancellationToken);
                    logger.LogWarning("Schedule {Schedule} of {Pipeline} was in Quartz's ERROR state (its job could not be loaded): reset, it fires again", key.Name, key.Group);
                }

                continue;
            }

            var job = JobBuilder.Create<ScheduledRunJob>().WithIdentity(key).WithDescription(entry.Pipeline.FilePath).RequestRecovery(true).StoreDurably(true).Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }

    private static ITrigger Trigger(AgentSchedule entry, TimeProvider time)
    {
        var schedule = entry.Schedule;
        CronSchedule.TryConvert(schedule.Cron.Value, out var cron, out _); // validated before the agent starts
        CronSchedule.TryFindZone(schedule.TimeZoneId, out var zone);
        var misfire = schedule.Misfire == ScheduleMisfire.RunOnce ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing;
        var overlap = schedule.Overlap == ScheduleOverlap.Queue ? OverlapPolicy.BufferOne : OverlapPolicy.Skip;
        var builder = TriggerBuilder.Create(time)
            .WithIdentity(entry.Key.Name, entry.Key.Group)
            .ForJob(entry.Key)
            .WithDescription($"{cron} in {schedule.TimeZoneId}; misfire {schedule.Misfire.ToName()}; overlap {schedule.Overlap.ToName()}"
                + (entry.ExecutionGroup is { } version ? $"; version {version}" : string.Empty)) // a new version replaces the trigger
            .WithSchedule(CronScheduleBuilder.Create(cron!).InTimeZone(zone!).WithMisfireInstruction(misfire))
            .WithOverlapPolicy(overlap);
        return (entry.ExecutionGroup is null ? builder : builder.WithExecutionGroup(entry.ExecutionGroup)).Build();
    }
}
