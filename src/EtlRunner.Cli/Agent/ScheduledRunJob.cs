using EtlRunner.Diagnostics;
using EtlRunner.Execution;
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
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var logger = catalog.LoggerFactory.CreateLogger("EtlRunner.Agent");
        if (!catalog.Schedules.TryGetValue(context.JobDetail.Key, out var entry))
        {
            logger.LogWarning("Schedule {Schedule} of {Pipeline} fired, but the agent no longer has it; nothing ran", context.JobDetail.Key.Name, context.JobDetail.Key.Group);
            return;
        }

        // A fire recovered after a crash carries its original scheduled time; the time is the run's key, so it is
        // taken typed and normalised (UTC, whole seconds), never from the job data's culture-formatted text.
        var fire = new ScheduleFire(entry.Schedule.Name.Value, context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        logger.LogInformation("{Pipeline}: schedule {Schedule} fired for {FireTime}{Recovering}", entry.PipelineId, fire.Name, fire.FireTimeText, context.Recovering ? " (recovering the fire a stopped agent had started)" : string.Empty);
        try
        {
            using var state = new SqliteStateStore(catalog.StateDirectory);
            using var progress = catalog.Progress.Track(entry, fire);
            var report = await new PipelineRunner(catalog.Registry).RunAsync(entry.Pipeline, new RunOptions
            {
                Operation = entry.Schedule.Operation?.Value,
                State = state,
                StateDirectory = catalog.StateDirectory,
                LockDirectory = catalog.LockDirectory,
                Variables = catalog.Variables,
                TimeProvider = catalog.TimeProvider,
                LoggerFactory = catalog.LoggerFactory,
                Masker = catalog.Masker,
                Schedule = fire,
                Observer = progress,
            }, cancellationToken);
            var outcome = report.Cancelled ? "cancelled" : report.Failed ? "failed" : "succeeded";
            var t = report.Operations.Aggregate(new OperationCounts(0, 0, 0, 0, 0), (sum, o) => new OperationCounts(sum.Read + o.Counts.Read, sum.Filtered + o.Counts.Filtered, sum.Written + o.Counts.Written, sum.Skipped + o.Counts.Skipped, sum.Rejected + o.Counts.Rejected));
            logger.Log(report.Failed ? LogLevel.Error : LogLevel.Information, "{Pipeline}: schedule {Schedule} fire {FireTime}: run {RunId} {Outcome}{Resumed}: read {Read}, filtered {Filtered}, written {Written}, skipped {Skipped}, rejected {Rejected}",
                entry.PipelineId, fire.Name, fire.FireTimeText, report.RunId, outcome, report.Resumed is null ? string.Empty : " (resumed an interrupted run)", t.Read, t.Filtered, t.Written, t.Skipped, t.Rejected);
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
}
