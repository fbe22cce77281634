using System.Globalization;
using System.Threading.Channels;
using EtlRunner.Connectors;
using EtlRunner.Planning;
using EtlRunner.State;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// The last stage: checks each batch against the change guards, puts the write ledger around it, writes it and
/// accounts for every record of it, and commits the target at the end. It is also the target's <see cref="ISinkContext"/>.
/// With no sink (a dry run whose target cannot preview) it counts what would have been written; a previewing sink's
/// results (a dry run) are counted as a real write's, and their previews go to the preview file.
/// </summary>
/// <remarks>
/// A batch is confirmed in the ledger only once its rejects are on disk (fsynced); a batch stopped half-way stays
/// pending, and the next run sends it again with its records flagged (<see cref="ISinkContext.MayHaveBeenWritten"/>).
/// </remarks>
internal sealed class WriteStage(OperationPlan plan, ISink? sink, RecordAccounting accounting, OperationStop stop, string stateDirectory, string? stateLocation = null, PreviewFile? previews = null) : ISinkContext
{
    private readonly string _target = plan.Target.Connection.Name.Value;
    private readonly ChangeGuard _guard = new(plan, sink, accounting.Stats);

    /// <summary>The write ledger, when the target's batches are durable and the run keeps state.</summary>
    public LedgerGate? Ledger { get; private set; }

    /// <summary>The state lost the pipeline's ledger while the target holds data: every record is flagged.</summary>
    public bool LedgerMissing { get; private set; }

    /// <summary>Records the target took that did not land because it was not committed (counted as rejected).</summary>
    public long Discarded { get; private set; }

    /// <summary>For a previewing API target, once the stage has run: the requests the real run would send.</summary>
    public long? PreviewRequests { get; private set; }

    /// <summary>
    /// Opens the write ledger. Resuming an interrupted run: its rejects files and an append target are cut back to what
    /// its ledger confirmed, so the batches this run sends again (and their rejects) are not there twice.
    /// </summary>
    public async Task OpenLedgerAsync(IWriteLedger? store, string runId, bool stateLost, Func<string, string> rejectsPathOfRun)
    {
        if (sink is not { DurableBatches: true } || store is null)
        {
            return;
        }

        var ledger = Ledger = new LedgerGate(store, runId, accounting.Rejects);
        foreach (var (earlierRun, length) in ledger.EarlierRejects)
        {
            accounting.Rejects.CutBack(earlierRun, length, rejectsPathOfRun);
        }

        try
        {
            if (ledger.EarlierTargetLength is { } position)
            {
                sink.Rewind(position);
            }

            LedgerMissing = stateLost && await sink.HoldsDataAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ConnectorCallException(ex);
        }
    }

    /// <summary>The operation ended without succeeding: its rejects file, as it is now, is complete.</summary>
    public void SettleLedger()
    {
        try
        {
            Ledger?.Settle(accounting.Rejects.Length);
        }
        catch (Exception ex)
        {
            StopForLedger(ex);
        }
    }

    public async Task RunAsync(ChannelReader<Batch> input)
    {
        await foreach (var batch in input.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The target's own failures are handled per batch: this is the engine's. Stop rather than leave the stages waiting.
                stop.EngineFailed($"writing to {_target}", ex);
            }
        }

        var committed = false;
        if (!stop.IsStopped && sink is not null)
        {
            try
            {
                await sink.CompleteAsync(stop.Token).ConfigureAwait(false);
                committed = true;
            }
            catch (Exception ex) when (!stop.Caused(ex))
            {
                stop.ConnectorFailed($"finishing the write to {_target}", ex);
            }
        }

        if (sink is { DurableBatches: false } && !committed)
        {
            // Nothing the target took landed (a file written to a temp name is renamed only at the end): not written.
            Discarded = accounting.Stats.DiscardWritten();
        }

        PreviewRequests = sink?.PreviewRequests;
    }

    private async Task WriteBatchAsync(Batch batch)
    {
        var records = batch.Records;
        var stats = accounting.Stats;
        if (stop.IsStopped)
        {
            Unsent(batch);
            return;
        }

        if (await _guard.RefusesAsync(records.Count, stop.Token).ConfigureAwait(false) is { } refusal)
        {
            stop.Stop(refusal.Cause, refusal.Reason, refusal.Exception);
            Unsent(batch, refusal.Reason);
            return;
        }
        if (sink is null)
        {
            stats.AddWrite(records.Count, 0, kinds: null); // a dry run whose target cannot preview: what would have been written
            accounting.Rejects.Append(batch.Rejects);
            return;
        }

        long sequence = 0;
        if (Ledger is not null)
        {
            bool alreadyWritten;
            try
            {
                (sequence, alreadyWritten) = Ledger.Admit(batch.Hash ?? LedgerGate.Hash(records), Mark());
            }
            catch (Exception ex)
            {
                StopForLedger(ex);
                Unsent(batch);
                return;
            }

            if (alreadyWritten)
            {
                stats.AddSkipped(records.Count); // confirmed by the interrupted run this one resumes
                accounting.Rejects.Append(batch.Rejects);
                return;
            }
        }

        WriteResult result;
        try
        {
            result = records.Count == 0 ? WriteResult.AllWritten(0) : await SendAsync(sink, records).ConfigureAwait(false);
        }
        catch (Exception ex) when (stop.Caused(ex))
        {
            Abandon(sequence);
            Unsent(batch);
            return;
        }
        catch (Exception ex)
        {
            Abandon(sequence);
            var what = $"writing to {_target}";
            Unsent(batch, $"{what} failed: {ex.Message}");
            stop.ConnectorFailed(what, ex);
            return;
        }

        if (result.StopReason is { } stopReason)
        {
            stop.Stop(StopCause.TargetStopped, stopReason); // before the rejects are counted: the target's reason (a rejected token) is the cause, not max_rejects
        }

        stats.AddWrite(result.Written, result.Skipped, result.Kinds);
        if (result.Previews is { } recordPreviews && previews is not null)
        {
            try
            {
                previews.Append(plan.Name, recordPreviews);
            }
            catch (IOException ex)
            {
                stop.Stop(StopCause.StateFailure, ex.Message, ex);
            }
        }

        var lines = batch.Rejects;
        foreach (var rejected in result.Rejected)
        {
            lines.Add(accounting.Rejects.Line(RejectReason.Name(StageName.Write), rejected.Record, rejected.Reason, rejected.Code));
            if (rejected.Code != RejectReason.StoppedCode)
            {
                accounting.Causes.Add(rejected.Reason, rejected.Code);
            }
        }

        accounting.Rejects.Append(lines);
        accounting.Count(result.Rejected.Count);
        if (result.Total != records.Count)
        {
            var missing = records.Count - result.Total;
            stop.Stop(StopCause.ConnectorFailure, $"connector error: {plan.Target.Connector.Descriptor.Type} accounted for {result.Total} of {records.Count} records in a batch");
            if (missing > 0)
            {
                accounting.Count(missing);
            }
        }

        // Confirmed only once its rejects are on disk; a batch stopped half-way stays pending: the next run sends it again, flagged.
        if (Ledger is not null && result.StopReason is null && accounting.Rejects.Flush())
        {
            try
            {
                Ledger.Confirm(sequence, Mark());
                if (CrashPoint.IsArmed)
                {
                    CrashPoint.Reached(string.Create(CultureInfo.InvariantCulture, $"after-batch:{plan.Name}:{sequence}"));
                }
            }
            catch (Exception ex)
            {
                StopForLedger(ex);
            }
        }
    }

    /// <summary>Writes a batch; what the target reported done of it (<see cref="ISinkContext.ReportDone"/>) is cleared before its result, or its failure, is counted.</summary>
    private async ValueTask<WriteResult> SendAsync(ISink target, IReadOnlyList<Record> records)
    {
        try
        {
            return await target.WriteAsync(records, this, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            accounting.Stats.ClearProvisional();
        }
    }

    /// <summary>Rejects a batch that is not sent because the operation stopped, with the rejects met while it was gathered.</summary>
    private void Unsent(Batch batch) =>
        Unsent(batch, new RejectReason(UnfinishedCause.OperationStopped, StageName.Write, stop.Reason ?? string.Empty));

    /// <summary>Rejects a batch whose own failure (or guard) stops the operation.</summary>
    private void Unsent(Batch batch, string cause) =>
        Unsent(batch, new RejectReason(UnfinishedCause.OwnBatch, StageName.Write, cause));

    private void Unsent(Batch batch, RejectReason reason)
    {
        accounting.Unfinished(batch.Records, reason);
        accounting.Rejects.Append(batch.Rejects);
    }

    private LedgerMark Mark() => new(accounting.Rejects.Length, sink!.Position);

    private void Abandon(long sequence)
    {
        try
        {
            Ledger?.Abandon(sequence);
        }
        catch (Exception ex)
        {
            StopForLedger(ex); // the entry stays pending: the next run sends the batch flagged, which is safe
        }
    }

    private void StopForLedger(Exception ex) =>
        stop.Stop(StopCause.StateFailure, ex switch
        {
            LeaseLostException => ex.Message,
            _ when stateLocation is not null => $"cannot write the write ledger in {stateLocation}: {ex.Message}",
            _ => $"cannot write the write ledger in the state database in {stateDirectory}: {ex.Message}; free space there or move the state folder (--state-dir)",
        }, ex);

    void ISinkContext.ReportWaiting(string? reason) => accounting.Stats.SetWaiting(reason);

    string? ISinkContext.StopSending(int rejectedInBatch) => accounting.StopSending(rejectedInBatch);

    bool ISinkContext.MayHaveBeenWritten(Record record) => LedgerMissing || (Ledger?.MayHaveBeenWritten ?? false);

    void ISinkContext.ReportDone(int records) => accounting.Stats.AddProvisional(records);
}
