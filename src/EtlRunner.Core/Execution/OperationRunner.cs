using System.Threading.Channels;
using EtlRunner.Connectors;
using EtlRunner.Execution.Stages;
using EtlRunner.Expressions;
using EtlRunner.Planning;
using EtlRunner.State;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Execution;

/// <summary>
/// Runs one operation as three stages joined by bounded channels: <see cref="ReadStage"/> reads records in chunks,
/// <see cref="TransformStage"/> filters and maps them into batches, <see cref="WriteStage"/> writes the batches. Bounded
/// channels give backpressure all the way back to the source, so memory stays flat whatever the input size. The stages
/// share one <see cref="OperationStop"/> and one <see cref="RecordAccounting"/>; this class sets them up and reports.
/// </summary>
/// <remarks>
/// Shutdown invariants: only the source is cancelled when the operation stops (failure, max_rejects, timeout,
/// Ctrl+C); the transform and write stages always drain their channels, rejecting what they can no longer
/// process with the stop reason. So every record read ends up filtered, written, skipped or rejected, and the
/// engine checks <c>read = filtered + written + skipped + rejected</c> before reporting.
/// </remarks>
internal sealed class OperationRunner(OperationPlan plan, RunContext run, VariableScope scope)
{
    private const int MaxChunkSize = 256;

    private readonly ILogger _logger = run.Options.LoggerFactory.CreateLogger("EtlRunner.Operation");

    public async Task<OperationResult> RunAsync(string? chainedFrom, CancellationToken cancellationToken)
    {
        var time = run.Options.TimeProvider;
        var stats = new OperationStats();
        using var stop = new OperationStop(plan.Name, _logger, run.Masker);
        var rejects = RejectsWriter.Open(run, plan.Name, time, failed: (reason, ex) => stop.Stop(StopCause.StateFailure, reason, ex));
        var accounting = new RecordAccounting(stats, rejects, plan.Options.MaxRejects, stop);
        var highWaterMark = new HighWaterMark(plan.Definition.Source?.Incremental?.Field.Value);
        WriteStage? write = null;
        var start = time.GetUtcNow();
        var started = time.GetTimestamp();
        using (_logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.RunId, ["Operation"] = plan.Name }))
        {
            _logger.LogInformation("Operation {Operation} started: {Source} -> {Target}", plan.Name, plan.Source.Describe(), plan.Target.Describe());
            run.Options.Observer.OperationStarted(plan, stats, chainedFrom);
            using var timeout = new CancellationTokenSource(plan.Options.Timeout, time);
            await using (timeout.Token.Register(() => stop.Stop(StopCause.TimedOut, $"timed out after {plan.Options.Timeout} (options.timeout)")))
            await using (cancellationToken.Register(() => stop.Stop(StopCause.Cancelled, "cancelled")))
            {
                try
                {
                    await RunStagesAsync(accounting, stop, highWaterMark, created => write = created).ConfigureAwait(false);
                }
                catch (ConnectorCallException ex)
                {
                    // Creating the source or target failed: nothing was read.
                    stop.Stop(StopCause.ConnectorFailure, run.Masker.Apply(ex.Message), ex.InnerException);
                }
                catch (Exception ex) when (ex is StateDatabaseException or IOException)
                {
                    // Opening the write ledger failed: nothing was read.
                    stop.Stop(StopCause.StateFailure, run.Masker.Apply(ex.Message), ex);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    stop.EngineFailed("starting the operation", ex);
                }
            }

            await rejects.DisposeAsync().ConfigureAwait(false);
            var result = Result(stats.Snapshot(), accounting, stop, write, start, time.GetElapsedTime(started)) with
            {
                ChainedFrom = chainedFrom,
                HighWaterMark = run.Options.Replay is null ? highWaterMark.Value : null,
            };
            _logger.LogInformation(
                "Operation {Operation} {Status}: read {Read}, filtered {Filtered}, {Writes} {Written}{Kinds}, skipped {Skipped}, rejected {Rejected}{Error}",
                plan.Name, result.Status, result.Counts.Read, result.Counts.Filtered, run.Options.DryRun ? "would write" : "written", result.Counts.Written, KindsText(result.Counts.Kinds), result.Counts.Skipped, result.Counts.Rejected, result.Error is null ? string.Empty : ": " + result.Error);
            run.Options.Observer.OperationFinished(result);
            return result;
        }
    }

    private async Task RunStagesAsync(RecordAccounting accounting, OperationStop stop, HighWaterMark highWaterMark, Action<WriteStage> created)
    {
        var sourceContext = run.ActivityContext(plan, plan.Source);
        var targetContext = run.ActivityContext(plan, plan.Target);
        await using var source = run.Options.Replay is { } replay ? replay.AsSource() : ConnectorCallException.Call(() => plan.Source.Connector.CreateSource(sourceContext));
        await using var sink = await TargetAsync(targetContext).ConfigureAwait(false);
        var write = new WriteStage(plan, sink, accounting, stop, run.StateDirectory, run.Options.State?.Location, run.Previews);
        created(write);

        // A replay sends a rejects file's records, not the operation's stream: it must not read or clear the operation's ledger.
        var ledger = run.Options.State is { } state && !run.Options.DryRun && run.Options.Replay is null ? state.Ledger(run.PipelineKey, plan.Name) : null;
        await write.OpenLedgerAsync(ledger, run.RunId, run.LedgerMissing, earlierRun => run.RejectsPath(plan.Name, earlierRun)).ConfigureAwait(false);

        var batchSize = sink?.PreferredBatchSize ?? plan.Options.BatchSize;
        var capacity = new BoundedChannelOptions(plan.Options.ChannelCapacity) { SingleWriter = true, SingleReader = true };
        var chunks = Channel.CreateBounded<Batch>(capacity);
        var batches = Channel.CreateBounded<Batch>(capacity);
        var reading = new ReadStage(source, plan.Source.Connection.Name.Value, accounting, stop, highWaterMark);
        var transform = new TransformStage(plan.Transform, scope, accounting, stop, write.Ledger, run.Options.TransformWorkers ?? TransformStage.DefaultWorkers(plan.Transform));
        await Task.WhenAll(
            Task.Run(() => reading.RunAsync(chunks.Writer, Math.Min(MaxChunkSize, batchSize))),
            Task.Run(() => transform.RunAsync(chunks.Reader, batches.Writer, batchSize)),
            Task.Run(() => write.RunAsync(batches.Reader))).ConfigureAwait(false);
    }

    /// <summary>The kinds of the written records, for the log: <c> (created 8, updated 2, deleted 0, unchanged 1)</c>, a dry run's as <c>create 8</c>...</summary>
    private string KindsText(OperationKinds? kinds) => kinds is not { } k ? string.Empty
        : run.Options.DryRun ? $" (create {k.Created}, update {k.Updated}, delete {k.Deleted}, unchanged {k.Unchanged})"
        : $" (created {k.Created}, updated {k.Updated}, deleted {k.Deleted}, unchanged {k.Unchanged})";

    /// <summary>The target's sink; in a dry run only one that previews (<see cref="ISink.CanPreview"/>), else null: the records count as "would write".</summary>
    private async Task<ISink?> TargetAsync(ActivityContext context)
    {
        var sink = ConnectorCallException.Call(() => plan.Target.Connector.CreateSink(context));
        if (!run.Options.DryRun || sink.CanPreview)
        {
            return sink;
        }

        await sink.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>How the operation ended, from its counts and its stop: the checks of the end (balance, max_rejects, all rejected) happen here.</summary>
    private OperationResult Result(OperationCounts counts, RecordAccounting accounting, OperationStop stop, WriteStage? write, DateTimeOffset start, TimeSpan duration)
    {
        string? error = null;
        if (!counts.Balanced)
        {
            error = $"engine error: the record counts do not balance (read {counts.Read} != filtered {counts.Filtered} + written {counts.Written} + skipped {counts.Skipped} + rejected {counts.Rejected})";
        }

        if (accounting.PassedAtEnd(counts))
        {
            error ??= accounting.LimitMessage(counts);
        }
        else if (!stop.IsStopped && counts.Rejected > 0 && counts.Written + counts.Skipped == 0)
        {
            error ??= $"every record that reached the target was rejected ({counts.Rejected} of {counts.Read} read), so nothing {(run.Options.DryRun ? "would be" : "was")} written; most frequent: {accounting.Causes.Describe()}. See the rejects file";
        }

        var status = stop.Cancelled ? OperationStatus.Cancelled
            : stop.IsStopped || error is not null ? OperationStatus.Failed
            : OperationStatus.Succeeded;
        if (status != OperationStatus.Succeeded)
        {
            write?.SettleLedger(); // ended, not killed: its rejects file stays as it is
        }

        error ??= stop.Reason;
        if (write?.Discarded > 0)
        {
            error += $"; the {write.Discarded} record(s) sent to {plan.Target.Connection.Name.Value} are counted as rejected: it is written only when the operation succeeds, so none of them landed (they are not in the rejects file: run the operation again once fixed)";
        }

        var warnings = status == OperationStatus.Succeeded ? accounting.Warnings(counts) : [];
        foreach (var warning in warnings)
        {
            _logger.LogWarning("Operation {Operation}: {Warning}", plan.Name, warning);
        }

        return new OperationResult(plan.Name, status, counts, start, duration, error is null ? null : run.Masker.Apply(error), accounting.Rejects.FilePath)
        {
            DryRun = run.Options.DryRun,
            Source = plan.Source.Describe(),
            Target = plan.Target.Describe(),
            Warnings = warnings,
            LedgerMissing = write?.LedgerMissing ?? false,
            PreviewRequests = write?.PreviewRequests,
            StoppedBy = stop.Cause,
        };
    }
}
