using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Model;
using EtlRunner.Scheduling;
using EtlRunner.State;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// One fire of a schedule: a normal run of the pipeline (the same <see cref="PipelineRunner"/> as <c>etl run</c>, so
/// history, rejects, the write ledger, watermarks and resumption are the same), with the schedule and its fire time
/// as <c>system.schedule.*</c>. An interrupted run of the pipeline is resumed by the next fire of the same schedule.
/// </summary>
internal sealed class ScheduledRunJob(AgentCatalog catalog) : IJob
{
    /// <summary>The name Quartz stores for this job's type in its job store (QRTZ_JOB_DETAILS.JOB_CLASS_NAME).</summary>
    public const string StoredTypeName = "EtlRunner.Cli.Agent.ScheduledRunJob, etl";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var logger = catalog.LoggerFactory.CreateLogger("EtlRunner.Agent");
        if (!catalog.Schedules.TryGetValue(context.JobDetail.Key, out var entry))
        {
            logger.LogWarning("Schedule {Schedule} of {Pipeline} fired, but the agent no longer has it; nothing ran", context.JobDetail.Key.Name, context.JobDetail.Key.Group);
            return;
        }

        var fire = new ScheduleFire(entry.Schedule.Name.Value, FireTimeOf(context, entry.Schedule.Misfire));
        logger.LogInformation("{Pipeline}: schedule {Schedule} fired for {FireTime}{Recovering}", entry.PipelineId, fire.Name, fire.FireTimeText, context.Recovering ? " (recovering the fire a stopped agent had started)" : string.Empty);
        try
        {
            if (catalog.Group is { } group)
            {
                await RunInGroupAsync(group, entry, fire, context.Recovering, logger, cancellationToken);
            }
            else
            {
                using var state = new SqliteStateStore(catalog.StateDirectory);
                await RunAsync(entry, fire, state, catalog.LockDirectory, logger, cancellationToken);
            }
        }
        catch (LeaseLostException ex)
        {
            logger.LogWarning("{Pipeline}: schedule {Schedule} fire {FireTime}: this agent was fenced, nothing more of the run is written here: {Reason}", entry.PipelineId, fire.Name, fire.FireTimeText, ex.Message);
        }
        catch (Exception ex) when (ex is RunLockedException or ResumeRefusedException)
        {
            logger.LogWarning("{Pipeline}: schedule {Schedule} fire {FireTime} did not run: {Reason}", entry.PipelineId, fire.Name, fire.FireTimeText, ex.Message);
        }
        catch (PipelineDefinitionException ex)
        {
            logger.LogError("{Pipeline}: schedule {Schedule} fire {FireTime} did not run: the pipeline is invalid now:\n{Problems}", entry.PipelineId, fire.Name, fire.FireTimeText, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Pipeline}: schedule {Schedule} fire {FireTime} failed", entry.PipelineId, fire.Name, fire.FireTimeText);
        }
    }

    /// <summary>
    /// A fire in an agent group: run under its lease (see <see cref="RunLease"/>), with every state write fenced by the
    /// lease's token. A recovered fire whose lease another agent still holds (it died, and its lease has not run out yet)
    /// waits for the lease to run out, then resumes the interrupted run through the write ledger.
    /// </summary>
    private async Task RunInGroupAsync(AgentGroup group, AgentSchedule entry, ScheduleFire fire, bool recovering, ILogger logger, CancellationToken cancellationToken)
    {
        RunLease lease;
        var waited = TimeSpan.Zero;
        while (true)
        {
            var offer = RunLease.TryTake(group.Source, entry.PipelineId, fire, catalog.Name, catalog.TimeProvider);
            if (offer.Lease is { } taken)
            {
                lease = taken;
                break;
            }

            if (!recovering || offer.Finished || offer.FreeIn is not { } freeIn || waited + freeIn > RunLease.Duration + RunLease.RenewEvery)
            {
                logger.LogInformation("{Pipeline}: schedule {Schedule} fire {FireTime} did not run on this agent: {Reason}", entry.PipelineId, fire.Name, fire.FireTimeText, offer.Refusal);
                return;
            }

            var pause = freeIn + TimeSpan.FromMilliseconds(250);
            logger.LogInformation("{Pipeline}: schedule {Schedule} recovered fire {FireTime} waits {Seconds:0.0} s for the lease to run out: {Reason}", entry.PipelineId, fire.Name, fire.FireTimeText, pause.TotalSeconds, offer.Refusal);
            await Task.Delay(pause, catalog.TimeProvider, cancellationToken);
            waited += pause;
        }

        using (lease)
        {
            if (lease.Fire.FireTimeText != fire.FireTimeText)
            {
                logger.LogInformation("{Pipeline}: schedule {Schedule} fire {FireTime} takes over fire {Interrupted}, whose agent stopped renewing its lease", entry.PipelineId, fire.Name, fire.FireTimeText, lease.Fire.FireTimeText);
                fire = lease.Fire;
            }

            logger.LogInformation("{Pipeline}: schedule {Schedule} fire {FireTime}: lease taken by {Agent}, token {Token}", entry.PipelineId, fire.Name, fire.FireTimeText, catalog.Name, lease.Token);
            string? runId = null;
            var outcome = "failed";
            try
            {
                using var state = new PostgresStateStore(group.Source, lease);
                var report = await RunAsync(entry, fire, state, lockDirectory: null, logger, cancellationToken, entry.PipelineId);
                (runId, outcome) = (report.RunId, Outcome(report));
            }
            catch (Exception ex) when (ex is not (LeaseLostException or OperationCanceledException))
            {
                lease.Finish(runId, "failed: " + catalog.Masker.Apply(ex.Message));
                throw;
            }

            lease.Finish(runId, outcome);
        }
    }

    /// <summary>The run of a fire, logged with its outcome and counts.</summary>
    private async Task<Execution.RunReport> RunAsync(AgentSchedule entry, ScheduleFire fire, IStateStore state, string? lockDirectory, ILogger logger, CancellationToken cancellationToken, string? pipelineKey = null)
    {
        using var progress = catalog.Progress.Track(entry, fire);
        var report = await new PipelineRunner(catalog.Registry).RunAsync(entry.Pipeline, new RunOptions
        {
            Operation = entry.Schedule.Operation?.Value,
            State = state,
            StateDirectory = catalog.StateDirectory,
            LockDirectory = lockDirectory,
            Variables = catalog.Variables,
            TimeProvider = catalog.TimeProvider,
            LoggerFactory = catalog.LoggerFactory,
            Masker = catalog.Masker,
            Schedule = fire,
            PipelineKey = pipelineKey,
            Observer = progress,
            RequestGate = catalog.RequestGate,
        }, cancellationToken);
        var t = report.Operations.Aggregate(new OperationCounts(0, 0, 0, 0, 0), (sum, o) => new OperationCounts(sum.Read + o.Counts.Read, sum.Filtered + o.Counts.Filtered, sum.Written + o.Counts.Written, sum.Skipped + o.Counts.Skipped, sum.Rejected + o.Counts.Rejected));
        logger.Log(report.Failed ? LogLevel.Error : LogLevel.Information, "{Pipeline}: schedule {Schedule} fire {FireTime}: run {RunId} {Outcome}{Resumed}: read {Read}, filtered {Filtered}, written {Written}, skipped {Skipped}, rejected {Rejected}",
            entry.PipelineId, fire.Name, fire.FireTimeText, report.RunId, Outcome(report), report.Resumed is null ? string.Empty : " (resumed an interrupted run)", t.Read, t.Filtered, t.Written, t.Skipped, t.Rejected);
        return report;
    }

    /// <summary>
    /// The fire time a fire runs for, the run's key: typed and normalised by <see cref="ScheduleFire"/> (UTC, whole
    /// seconds), never the job data's culture-formatted text. A fire recovered after a crash, and the one fire
    /// <c>misfire: run_once</c> makes, carry the time they stand in for (<see cref="IJobExecutionContext.ScheduledFireTimeUtc"/>:
    /// the interrupted fire's, the first one missed). With <c>misfire: skip</c> a fire is for its own time, the cron
    /// time the trigger just fired (its previous fire time once fired): Quartz also reports a missed time as the
    /// scheduled one when the fire time it moved a skipped misfire to happened to fall within 500 ms of the moment it
    /// handled the misfire (its test for "fire now" is that closeness), which made a run for a time skip had skipped.
    /// </summary>
    internal static DateTimeOffset FireTimeOf(IJobExecutionContext context, ScheduleMisfire misfire) =>
        !context.Recovering && misfire == ScheduleMisfire.Skip && context.Trigger.PreviousFireTimeUtc is { } own
            ? own
            : context.ScheduledFireTimeUtc ?? context.FireTimeUtc;

    private static string Outcome(Execution.RunReport report) => report.Cancelled ? "cancelled" : report.Failed ? "failed" : "succeeded";
}
