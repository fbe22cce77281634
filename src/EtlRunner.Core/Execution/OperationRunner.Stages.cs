using System.Threading.Channels;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.State;

namespace EtlRunner.Execution;

internal sealed partial class OperationRunner : ISourceContext, ISinkContext
{
    /// <summary>
    /// Records on their way through the stages (a chunk from the source, then a batch for the target) with the rejects
    /// met while they were gathered (malformed rows, transform failures): the target stage appends those with the
    /// batch's own rejects and makes them durable before the batch is confirmed in the write ledger.
    /// </summary>
    private sealed class Batch(int capacity)
    {
        public List<Record> Records { get; } = new(capacity);

        public List<string> Rejects { get; } = [];

        public bool IsEmpty => Records.Count == 0 && Rejects.Count == 0;
    }

    private async Task ReadAsync(ISource source, ChannelWriter<Batch> output, int chunkSize)
    {
        _reading = new Batch(chunkSize);
        try
        {
            await foreach (var record in source.ReadAsync(this, _stop.Token).WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                _stats.AddRead(1);
                _highWaterMark.Observe(record);
                _reading.Records.Add(record);
                if (_reading.Records.Count == chunkSize)
                {
                    await output.WriteAsync(_reading, _stop.Token).ConfigureAwait(false);
                    _reading = new Batch(chunkSize);
                }
            }

            if (!_reading.IsEmpty)
            {
                await output.WriteAsync(_reading, _stop.Token).ConfigureAwait(false);
                _reading = new Batch(0);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: the records of the pending chunk were read but never handed on.
        }
        catch (Exception ex)
        {
            Stop($"reading {_plan.Source.Connection.Name.Value} failed: {ex.Message}");
        }
        finally
        {
            try
            {
                RejectAll("read", _reading.Records, NotProcessed);
                RejectLines(_reading.Rejects);
            }
            finally
            {
                output.Complete();
            }
        }
    }

    private async Task TransformAsync(ChannelReader<Batch> input, ChannelWriter<Batch> output, int batchSize)
    {
        var transform = new RecordTransform(_plan.Transform, _scope);
        var batch = new Batch(batchSize);
        long sequence = 1; // the ledger number the batch being filled will have
        try
        {
            await foreach (var chunk in input.ReadAllAsync().ConfigureAwait(false))
            {
                Hold(batch, sequence, chunk.Rejects);
                for (var i = 0; i < chunk.Records.Count; i++)
                {
                    if (Stopped)
                    {
                        // Checked per record, so a stop (timeout, max_rejects) takes effect within one record's time limit.
                        RejectAll("transform", chunk.Records.GetRange(i, chunk.Records.Count - i), NotProcessed);
                        break;
                    }

                    var record = chunk.Records[i];
                    var result = transform.Apply(record);
                    if (result.Output is null)
                    {
                        if (result.RejectReason is { } reason)
                        {
                            _rejectCauses.Add(reason, "transform_error");
                            Hold(batch, sequence, [_rejects.Line("transform", record, reason, "transform_error")]);
                        }
                        else
                        {
                            _stats.AddFiltered(1);
                        }

                        continue;
                    }

                    batch.Records.Add(result.Output);
                    if (batch.Records.Count == batchSize)
                    {
                        await output.WriteAsync(batch).ConfigureAwait(false);
                        batch = new Batch(batchSize);
                        sequence++;
                    }
                }
            }

            if (!batch.IsEmpty)
            {
                await output.WriteAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // An engine fault: stop, and account for everything still on its way.
            Stop($"transform failed: {ex.Message}");
            RejectAll("transform", batch.Records, NotProcessed);
            RejectLines(batch.Rejects);
            await foreach (var chunk in input.ReadAllAsync().ConfigureAwait(false))
            {
                RejectAll("transform", chunk.Records, NotProcessed);
                RejectLines(chunk.Rejects);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    /// <summary>
    /// Rejects met while batch <paramref name="sequence"/> was gathered travel with it, so they reach the rejects file
    /// before the batch is confirmed; when an earlier run confirmed that batch they are in its rejects file already, and
    /// count as skipped.
    /// </summary>
    private void Hold(Batch batch, long sequence, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        if (Stopped)
        {
            RejectLines(lines);
        }
        else if (_ledger?.ConfirmedEarlier(sequence) == true)
        {
            _stats.AddSkipped(lines.Count);
        }
        else
        {
            batch.Rejects.AddRange(lines);
            CountRejected(lines.Count);
        }
    }

    private async Task WriteAsync(ISink? sink, ChannelReader<Batch> input)
    {
        await foreach (var batch in input.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await WriteBatchAsync(sink, batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // An engine fault (the target's own failures are handled per batch): stop rather than leave the stages waiting.
                Stop($"writing to {_plan.Target.Connection.Name.Value} failed: {ex.Message}");
            }
        }

        var committed = false;
        if (!Stopped && sink is not null)
        {
            try
            {
                await sink.CompleteAsync(_stop.Token).ConfigureAwait(false);
                committed = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                Stop($"finishing the write to {_plan.Target.Connection.Name.Value} failed: {ex.Message}");
            }
        }

        if (sink is { DurableBatches: false } && !committed)
        {
            // Nothing the target took landed (a file written to a temp name is renamed only at the end): not written.
            _discarded = _stats.Written;
            _stats.AddWritten(-_discarded);
            _stats.AddRejected(_discarded);
        }
    }

    /// <summary>
    /// The max_deletes / max_updates guard: checked before a batch goes to the target, never after. A percentage is a
    /// share of the target's size when the operation started, asked of the target once, before the first write.
    /// </summary>
    private async Task<string?> GuardExceededAsync(ISink? sink, int batch)
    {
        var kind = _plan.Target.Kind;
        var (limit, name, verb) = kind == ActivityKind.Delete ? (_plan.Options.MaxDeletes, "max_deletes", "delete")
            : kind == ActivityKind.Update ? (_plan.Options.MaxUpdates, "max_updates", "update")
            : (null, string.Empty, string.Empty);
        if (limit is null || sink is null)
        {
            return null;
        }

        if (limit.Percent is not null && _targetSize is null)
        {
            try
            {
                _targetSize = await sink.CountAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return $"{name} ({limit}) needs the size of {_plan.Target.Connection.Name.Value}, and counting it failed: {ex.Message}";
            }

            if (_targetSize is null)
            {
                return $"{name} ({limit}) is a share of the target's size, which a {_plan.Target.Connector.Descriptor.Type} target cannot tell; give {name} as a count instead";
            }
        }

        var allowed = limit.Allowed(_targetSize ?? 0);
        var of = limit.Percent is null ? $"{_stats.Read} read" : $"the {_targetSize} in {_plan.Target.Connection.Name.Value} when the operation started";
        return _sentToTarget + batch <= allowed
            ? null
            : $"{name} ({limit}) reached: this operation would {verb} more than {allowed} record(s) of {of}; nothing past the limit was sent. If that is intended, raise options.{name}";
    }

    private async Task WriteBatchAsync(ISink? sink, Batch batch)
    {
        var records = batch.Records;
        if (Stopped)
        {
            Unsent(batch, $"not written: the operation stopped ({_stopReason})");
            return;
        }

        if (await GuardExceededAsync(sink, records.Count).ConfigureAwait(false) is { } guard)
        {
            Stop(guard);
            Unsent(batch, "not written: " + guard);
            return;
        }

        _sentToTarget += records.Count;
        if (sink is null)
        {
            _stats.AddWritten(records.Count); // dry run: what would have been written
            _rejects.Append(batch.Rejects);
            return;
        }

        long sequence = 0;
        if (_ledger is not null)
        {
            bool alreadyWritten;
            try
            {
                (sequence, alreadyWritten) = _ledger.Admit(records, Mark(sink));
            }
            catch (Exception ex)
            {
                Stop(LedgerFailed(ex));
                Unsent(batch, $"not written: the operation stopped ({_stopReason})");
                return;
            }

            if (alreadyWritten)
            {
                _stats.AddSkipped(records.Count); // confirmed by the interrupted run this one resumes
                _rejects.Append(batch.Rejects);
                return;
            }
        }

        WriteResult result;
        try
        {
            result = records.Count == 0 ? WriteResult.AllWritten(0) : await sink.WriteAsync(records, this, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            Abandon(sequence);
            Unsent(batch, $"not written: the operation stopped ({_stopReason})");
            return;
        }
        catch (Exception ex)
        {
            Abandon(sequence);
            var reason = $"writing to {_plan.Target.Connection.Name.Value} failed: {ex.Message}";
            Unsent(batch, "not written: " + reason);
            Stop(reason);
            return;
        }

        if (result.StopReason is { } stopReason)
        {
            Stop(stopReason); // before the rejects are counted: the target's reason (a rejected token) is the cause, not max_rejects
        }

        _stats.AddWritten(result.Written);
        _stats.AddSkipped(result.Skipped);
        var lines = batch.Rejects;
        foreach (var rejected in result.Rejected)
        {
            lines.Add(_rejects.Line("write", rejected.Record, rejected.Reason, rejected.Code));
            if (rejected.Code != StoppedCode)
            {
                _rejectCauses.Add(rejected.Reason, rejected.Code);
            }
        }

        _rejects.Append(lines);
        CountRejected(result.Rejected.Count);
        if (result.Total != records.Count)
        {
            var missing = records.Count - result.Total;
            Stop($"connector error: {_plan.Target.Connector.Descriptor.Type} accounted for {result.Total} of {records.Count} records in a batch");
            if (missing > 0)
            {
                CountRejected(missing);
            }
        }

        // Confirmed only once its rejects are on disk; a batch stopped half-way stays pending: the next run sends it again, flagged.
        if (_ledger is not null && result.StopReason is null && _rejects.Flush())
        {
            try
            {
                _ledger.Confirm(sequence, Mark(sink));
                if (CrashPoint.IsArmed)
                {
                    CrashPoint.Reached(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"after-batch:{_plan.Name}:{sequence}"));
                }
            }
            catch (Exception ex)
            {
                Stop(LedgerFailed(ex));
            }
        }
    }

    /// <summary>Rejects a batch that is not sent, with the rejects met while it was gathered.</summary>
    private void Unsent(Batch batch, string reason)
    {
        RejectAll("write", batch.Records, reason);
        _rejects.Append(batch.Rejects);
    }

    private LedgerMark Mark(ISink sink) => new(_rejects.Length, sink.Position);

    private void Abandon(long sequence)
    {
        try
        {
            _ledger?.Abandon(sequence);
        }
        catch (Exception ex)
        {
            Stop(LedgerFailed(ex)); // the entry stays pending: the next run sends the batch flagged, which is safe
        }
    }

    private string LedgerFailed(Exception ex) =>
        $"cannot write the write ledger in the state database in {_run.StateDirectory}: {ex.Message}; free space there or move the state folder (--state-dir)";

    /// <summary>Called by the source on the read task: the line travels with the chunk, and is counted where its batch is known.</summary>
    void ISourceContext.RejectRead(string origin, string rawText, string reason)
    {
        _stats.AddRead(1);
        _reading.Rejects.Add(_rejects.RawLine("read", origin, rawText, reason));
        _rejectCauses.Add(reason, null);
    }

    void ISourceContext.ReportProgress(long position, long? total) => _stats.SetSourceProgress(position, total);

    void ISourceContext.ReportWaiting(string? reason) => _stats.SetWaiting(reason);

    void ISinkContext.ReportWaiting(string? reason) => _stats.SetWaiting(reason);

    string? ISinkContext.StopSending(int rejectedInBatch)
    {
        if (!Stopped && RejectLimitPassed(_stats.Rejected + rejectedInBatch, _stats.Read, final: false))
        {
            StopForRejects();
        }

        return _stopReason;
    }

    bool ISinkContext.MayHaveBeenWritten(Record record) => _ledgerMissing || (_ledger?.MayHaveBeenWritten ?? false);
}
