using System.Threading.Channels;
using EtlRunner.Connectors;
using EtlRunner.Expressions;

namespace EtlRunner.Execution;

internal sealed partial class OperationRunner : ISourceContext, ISinkContext
{
    private async Task ReadAsync(ISource source, ChannelWriter<List<Record>> output, int chunkSize)
    {
        var chunk = new List<Record>(chunkSize);
        try
        {
            await foreach (var record in source.ReadAsync(this, _stop.Token).WithCancellation(_stop.Token).ConfigureAwait(false))
            {
                _stats.AddRead(1);
                _highWaterMark.Observe(record);
                chunk.Add(record);
                if (chunk.Count == chunkSize)
                {
                    await output.WriteAsync(chunk, _stop.Token).ConfigureAwait(false);
                    chunk = new List<Record>(chunkSize);
                }
            }

            if (chunk.Count > 0)
            {
                await output.WriteAsync(chunk, _stop.Token).ConfigureAwait(false);
                chunk = [];
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
            if (chunk.Count > 0)
            {
                RejectAll("read", chunk, NotProcessed);
            }

            output.Complete();
        }
    }

    private async Task TransformAsync(ChannelReader<List<Record>> input, ChannelWriter<List<Record>> output, int batchSize)
    {
        var runtime = _plan.Transform.IsEmpty ? null : new ScriptRuntime(_scope);
        var mapped = _plan.Transform.Map is { } map ? new RecordSchema(map.Select(m => m.Key)) : null;
        var batch = new List<Record>(batchSize);
        try
        {
            await foreach (var chunk in input.ReadAllAsync().ConfigureAwait(false))
            {
                if (Stopped)
                {
                    RejectAll("transform", chunk, NotProcessed);
                    continue;
                }

                foreach (var record in chunk)
                {
                    var result = runtime is null ? record : Apply(runtime, mapped, record);
                    if (result is null)
                    {
                        continue;
                    }

                    batch.Add(result);
                    if (batch.Count == batchSize)
                    {
                        await output.WriteAsync(batch).ConfigureAwait(false);
                        batch = new List<Record>(batchSize);
                    }
                }
            }

            if (batch.Count > 0)
            {
                await output.WriteAsync(batch).ConfigureAwait(false);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    /// <summary>Filters and maps one record; null when it was filtered out or rejected.</summary>
    private Record? Apply(ScriptRuntime runtime, RecordSchema? schema, Record record)
    {
        try
        {
            if (_plan.Transform.Where is { } where && !runtime.IsTrue(where, record))
            {
                _stats.AddFiltered(1);
                return null;
            }

            if (schema is null)
            {
                return record;
            }

            var map = _plan.Transform.Map!;
            var values = new object?[map.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = runtime.Evaluate(map[i].Value, record);
            }

            return new Record(schema, values, record.Origin) { Source = record };
        }
        catch (ScriptEvaluationException ex)
        {
            Reject("transform", record, "transform failed: " + ex.Message, "transform_error");
            return null;
        }
    }

    private async Task WriteAsync(ISink? sink, ChannelReader<List<Record>> input)
    {
        await foreach (var batch in input.ReadAllAsync().ConfigureAwait(false))
        {
            if (Stopped)
            {
                RejectAll("write", batch, NotProcessed.Replace("not processed", "not written", StringComparison.Ordinal));
                continue;
            }

            if (await GuardExceededAsync(sink, batch.Count).ConfigureAwait(false) is { } guard)
            {
                Stop(guard);
                RejectAll("write", batch, "not written: " + guard);
                continue;
            }

            _sentToTarget += batch.Count;
            if (sink is null)
            {
                _stats.AddWritten(batch.Count); // dry run: what would have been written
                continue;
            }

            await WriteBatchAsync(sink, batch).ConfigureAwait(false);
        }

        if (!Stopped && sink is not null)
        {
            try
            {
                await sink.CompleteAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                Stop($"finishing the write to {_plan.Target.Connection.Name.Value} failed: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// The max_deletes / max_updates guard: checked before a batch goes to the target, never after. A percentage is a
    /// share of the target's size when the operation started, asked of the target once, before the first write.
    /// </summary>
    private async Task<string?> GuardExceededAsync(ISink? sink, int batch)
    {
        var (limit, name, verb) = _plan.Target.Kind switch
        {
            ActivityKind.Delete => (_plan.Options.MaxDeletes, "max_deletes", "delete"),
            ActivityKind.Update => (_plan.Options.MaxUpdates, "max_updates", "update"),
            _ => (null, string.Empty, string.Empty),
        };
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

    private async Task WriteBatchAsync(ISink sink, List<Record> batch)
    {
        long sequence = 0;
        if (_ledger is not null)
        {
            (sequence, var alreadyWritten) = _ledger.Admit(batch);
            if (alreadyWritten)
            {
                _stats.AddSkipped(batch.Count); // confirmed by the interrupted run this one resumes
                return;
            }
        }

        WriteResult result;
        try
        {
            result = await sink.WriteAsync(batch, this, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _ledger?.Abandon(sequence);
            RejectAll("write", batch, $"not written: the operation stopped ({_stopReason})");
            return;
        }
        catch (Exception ex)
        {
            _ledger?.Abandon(sequence);
            var reason = $"writing to {_plan.Target.Connection.Name.Value} failed: {ex.Message}";
            RejectAll("write", batch, "not written: " + reason);
            Stop(reason);
            return;
        }

        if (result.StopReason is { } stopReason)
        {
            Stop(stopReason); // before the rejects are counted: the target's reason (a rejected token) is the cause, not max_rejects
        }
        else
        {
            _ledger?.Confirm(sequence); // a batch stopped half-way stays pending: the next run sends it again, flagged
        }

        _stats.AddWritten(result.Written);
        _stats.AddSkipped(result.Skipped);
        foreach (var rejected in result.Rejected)
        {
            Reject("write", rejected.Record, rejected.Reason, rejected.Code);
        }

        if (result.Total != batch.Count)
        {
            var missing = batch.Count - result.Total;
            Stop($"connector error: {_plan.Target.Connector.Descriptor.Type} accounted for {result.Total} of {batch.Count} records in a batch");
            if (missing > 0)
            {
                CountRejected(missing);
            }
        }
    }

    void ISourceContext.RejectRead(string origin, string rawText, string reason)
    {
        _stats.AddRead(1);
        _rejects.WriteRaw("read", origin, rawText, reason);
        _rejectCauses.Add(reason, null);
        CountRejected(1);
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
