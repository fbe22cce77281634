using System.Threading.Channels;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.Planning;
using EtlRunner.State;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Execution;

/// <summary>
/// Runs one operation as three stages joined by bounded channels: the source task reads records in chunks,
/// the transform stage filters and maps them into batches, the target stage writes the batches. Bounded
/// channels give backpressure all the way back to the source, so memory stays flat whatever the input size.
/// </summary>
/// <remarks>
/// Shutdown invariants: only the source is cancelled when the operation stops (failure, max_rejects, timeout,
/// Ctrl+C); the transform and target stages always drain their channels, rejecting what they can no longer
/// process with the stop reason. So every record read ends up filtered, written, skipped or rejected, and the
/// engine checks <c>read = filtered + written + skipped + rejected</c> before reporting.
/// </remarks>
internal sealed partial class OperationRunner
{
    private const int MaxChunkSize = 256;

    /// <summary>The code of records rejected only because the operation stopped.</summary>
    private const string StoppedCode = "stopped";

    private readonly OperationPlan _plan;
    private readonly RunContext _run;
    private readonly VariableScope _scope;
    private readonly OperationStats _stats = new();
    private readonly RejectsWriter _rejects;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly HighWaterMark _highWaterMark;
    private readonly IWriteLedger? _ledgerStore;
    private readonly RejectTally _rejectCauses = new();
    private LedgerGate? _ledger;
    private string? _stopReason;
    private bool _rejectLimitPassed;
    private long? _targetSize;
    private bool _cancelled;
    private bool _ledgerMissing;

    // Owned by the read task: the chunk being filled, which malformed rows are added to.
    private Batch _reading = new(0);

    // Owned by the target stage.
    private long _sentToTarget;
    private long _discarded;

    public OperationRunner(OperationPlan plan, RunContext run, VariableScope scope)
    {
        _plan = plan;
        _run = run;
        _scope = scope;
        _logger = run.Options.LoggerFactory.CreateLogger("EtlRunner.Operation");
        _rejects = new RejectsWriter(run.RejectsPath(plan.Name), plan.Name, run.Masker, run.Options.TimeProvider, failed: reason => Stop(reason));
        _highWaterMark = new HighWaterMark(plan.Definition.Source?.Incremental?.Field.Value);
        // A replay sends a rejects file's records, not the operation's stream: it must not read or clear the operation's ledger.
        _ledgerStore = run.Options.State is { } state && !run.Options.DryRun && run.Options.Replay is null ? state.Ledger(run.PipelineKey, plan.Name) : null;
    }

    public OperationStats Stats => _stats;

    private bool Stopped => Volatile.Read(ref _stopReason) is not null;

    private string NotProcessed => $"not processed: the operation stopped ({_stopReason})";

    public async Task<OperationResult> RunAsync(string? chainedFrom, CancellationToken cancellationToken)
    {
        var time = _run.Options.TimeProvider;
        var start = time.GetUtcNow();
        var started = time.GetTimestamp();
        string? error = null;
        using (_logger.BeginScope(new Dictionary<string, object> { ["RunId"] = _run.RunId, ["Operation"] = _plan.Name }))
        {
            _logger.LogInformation("Operation {Operation} started: {Source} -> {Target}", _plan.Name, _plan.Source.Describe(), _plan.Target.Describe());
            _run.Options.Observer.OperationStarted(_plan, _stats, chainedFrom);
            using var timeout = new CancellationTokenSource(_plan.Options.Timeout, time);
            await using (timeout.Token.Register(() => Stop($"timed out after {_plan.Options.Timeout} (options.timeout)")))
            await using (cancellationToken.Register(() => Stop("cancelled", cancelled: true)))
            {
                try
                {
                    await RunStagesAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Creating the source or target failed: nothing was read.
                    Stop(_run.Masker.Apply(ex.Message));
                }
            }

            await _rejects.DisposeAsync().ConfigureAwait(false);
            var counts = _stats.Snapshot(); // on success the runner clears the ledger with the history row, in one transaction
            if (!counts.Balanced)
            {
                error = $"engine error: the record counts do not balance (read {counts.Read} != filtered {counts.Filtered} + written {counts.Written} + skipped {counts.Skipped} + rejected {counts.Rejected})";
            }

            if (_rejectLimitPassed || (_stopReason is null && RejectLimitPassed(counts.Rejected, counts.Read, final: true)))
            {
                _rejectLimitPassed = true;
                error ??= RejectLimitMessage(counts);
            }
            else if (_stopReason is null && counts.Rejected > 0 && counts.Written + counts.Skipped == 0)
            {
                error ??= $"every record that reached the target was rejected ({counts.Rejected} of {counts.Read} read), so nothing was written; most frequent: {_rejectCauses.Describe()}. See the rejects file";
            }

            var status = _cancelled ? OperationStatus.Cancelled
                : _stopReason is not null || error is not null ? OperationStatus.Failed
                : OperationStatus.Succeeded;
            if (status != OperationStatus.Succeeded)
            {
                SettleLedger(); // ended, not killed: its rejects file stays as it is
            }

            error ??= _stopReason;
            if (_discarded > 0)
            {
                error += $"; the {_discarded} record(s) sent to {_plan.Target.Connection.Name.Value} are counted as rejected: it is written only when the operation succeeds, so none of them landed (they are not in the rejects file: run the operation again once fixed)";
            }

            var warnings = status == OperationStatus.Succeeded ? Warnings(counts) : [];
            foreach (var warning in warnings)
            {
                _logger.LogWarning("Operation {Operation}: {Warning}", _plan.Name, warning);
            }

            var result = new OperationResult(_plan.Name, status, counts, start, time.GetElapsedTime(started), error is null ? null : _run.Masker.Apply(error), _rejects.FilePath)
            {
                DryRun = _run.Options.DryRun,
                Source = _plan.Source.Describe(),
                Target = _plan.Target.Describe(),
                ChainedFrom = chainedFrom,
                HighWaterMark = _run.Options.Replay is null ? _highWaterMark.Value : null,
                Warnings = warnings,
                LedgerMissing = _ledgerMissing,
            };
            _logger.LogInformation(
                "Operation {Operation} {Status}: read {Read}, filtered {Filtered}, written {Written}, skipped {Skipped}, rejected {Rejected}{Error}",
                _plan.Name, status, counts.Read, counts.Filtered, counts.Written, counts.Skipped, counts.Rejected, error is null ? string.Empty : ": " + result.Error);
            _run.Options.Observer.OperationFinished(result);
            return result;
        }
    }

    private async Task RunStagesAsync()
    {
        var sourceContext = _run.ActivityContext(_plan, _plan.Source);
        var targetContext = _run.ActivityContext(_plan, _plan.Target);
        await using var source = _run.Options.Replay is { } replay ? replay.AsSource() : _plan.Source.Connector.CreateSource(sourceContext);
        await using var sink = _run.Options.DryRun ? null : _plan.Target.Connector.CreateSink(targetContext);
        var batchSize = sink?.PreferredBatchSize ?? _plan.Options.BatchSize;
        if (sink is { DurableBatches: true } && _ledgerStore is not null)
        {
            _ledger = new LedgerGate(_ledgerStore, _run.RunId);
            CutBackInterruptedWrites(sink, _ledger);
            _ledgerMissing = _run.LedgerMissing && await sink.HoldsDataAsync(_stop.Token).ConfigureAwait(false);
        }

        var chunkSize = Math.Min(MaxChunkSize, batchSize);
        var capacity = _plan.Options.ChannelCapacity;
        var chunks = Channel.CreateBounded<Batch>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            SingleReader = true,
        });
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(capacity) { SingleWriter = true, SingleReader = true });

        var read = Task.Run(() => ReadAsync(source, chunks.Writer, chunkSize));
        var transform = Task.Run(() => TransformAsync(chunks.Reader, batches.Writer, batchSize));
        var write = Task.Run(() => WriteAsync(sink, batches.Reader));
        await Task.WhenAll(read, transform, write).ConfigureAwait(false);
    }

    /// <summary>
    /// Resuming an interrupted run: its rejects files and an append target are cut back to what its ledger confirmed, so
    /// the batches this run sends again (and their rejects) are not there twice.
    /// </summary>
    private void CutBackInterruptedWrites(ISink sink, LedgerGate ledger)
    {
        foreach (var (runId, length) in ledger.EarlierRejects)
        {
            RejectsWriter.Truncate(_run.RejectsPath(_plan.Name, runId), length);
        }

        if (ledger.EarlierTargetLength is { } position)
        {
            sink.Rewind(position);
        }
    }

    private void SettleLedger()
    {
        try
        {
            _ledger?.Settle(_rejects.Length);
        }
        catch (Exception ex)
        {
            Stop(LedgerFailed(ex));
        }
    }

    private void Stop(string reason, bool cancelled = false)
    {
        if (Interlocked.CompareExchange(ref _stopReason, reason, null) is null)
        {
            _cancelled = cancelled;
            _logger.LogWarning("Operation {Operation} stopping: {Reason}", _plan.Name, _run.Masker.Apply(reason));
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The operation already ended.
        }
    }

    /// <summary>Rejects records the operation could not process because it stopped: the stop is their cause, not theirs.</summary>
    private void RejectAll(string stage, IReadOnlyList<Record> records, string reason) =>
        RejectLines([.. records.Select(r => _rejects.Line(stage, r, reason, StoppedCode))]);

    /// <summary>Rejects lines formatted earlier (held with a batch that is not going to be written).</summary>
    private void RejectLines(IReadOnlyList<string> lines)
    {
        _rejects.Append(lines);
        CountRejected(lines.Count);
    }

    private void CountRejected(long count)
    {
        var total = _stats.AddRejected(count);
        if (!Stopped && RejectLimitPassed(total, _stats.Read, final: false))
        {
            StopForRejects();
        }
    }

    /// <summary>Whether <paramref name="rejected"/> passes options.max_rejects; a percentage counts once enough was read, or at the end.</summary>
    private bool RejectLimitPassed(long rejected, long read, bool final) => _plan.Options.MaxRejects switch
    {
        null => false,
        { Count: { } max } => rejected > max,
        { } share => (final || read >= OperationOptions.PercentRejectsMinimumRead) && rejected > share.Allowed(read),
    };

    private void StopForRejects()
    {
        _rejectLimitPassed = true;
        Stop($"more than {_plan.Options.MaxRejects} records rejected (options.max_rejects)");
    }

    /// <summary>The failure when max_rejects was passed, written at the end so that it names the causes of every reject.</summary>
    private string RejectLimitMessage(OperationCounts counts) =>
        $"more than {_plan.Options.MaxRejects} records rejected (options.max_rejects; {counts.Rejected} of {counts.Read} read); most frequent: {_rejectCauses.Describe()}. See the rejects file, fix the cause and run again, or raise max_rejects";

    /// <summary>What a successful operation should still tell its user: it filtered everything, or rejected a lot.</summary>
    private List<string> Warnings(OperationCounts counts)
    {
        var warnings = new List<string>();
        if (counts.Read > 0 && counts.Filtered == counts.Read)
        {
            warnings.Add($"the where condition filtered every record read ({counts.Read}): nothing reached the target; check the condition and the source's field names");
        }

        if (counts.Read > 0 && counts.Rejected * 10 > counts.Read)
        {
            warnings.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{counts.Rejected} of {counts.Read} records read ({100.0 * counts.Rejected / counts.Read:0.#}%) were rejected; most frequent: {_rejectCauses.Describe()}"));
        }

        return warnings;
    }
}
