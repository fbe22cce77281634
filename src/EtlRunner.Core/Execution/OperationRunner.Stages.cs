using System.Threading.Channels;
using EtlRunner.Connectors;

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
        var transform = new RecordTransform(_plan.Transform, _scope);
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
                    var result = transform.Apply(record);
                    if (result.Output is null)
                    {
                        if (result.RejectReason is { } reason)
                        {
                            Reject("transform", record, reason, "transform_error");
                        }
                        else
                        {
                            _stats.AddFiltered(1);
                        }

                        continue;
                    }

                    batch.Add(result.Output);
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

    private async Task WriteAsync(ISink? sink, ChannelReader<List<Record>> input)
    {
        await foreach (var batch in input.ReadAllAsync().ConfigureAwait(false))
        {
            if (Stopped)
            {
                RejectAll("write", batch, NotProcessed.Replace("not processed", "not written", StringComparison.Ordinal));
                continue;
            }

            if (GuardExceeded(batch.Count) is { } guard)
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

    /// <summary>The max_deletes / max_updates guard: checked before a batch goes to the target, never after.</summary>
    private string? GuardExceeded(int batch)
    {
        var (limit, name, verb) = _plan.Target.Kind switch
        {
            ActivityKind.Delete => (_plan.Options.MaxDeletes, "max_deletes", "delete"),
            ActivityKind.Update => (_plan.Options.MaxUpdates, "max_updates", "update"),
            _ => (null, string.Empty, string.Empty),
        };
        if (limit is null)
        {
            return null;
        }

        var allowed = limit.Allowed(_stats.Read);
        return _sentToTarget + batch <= allowed
            ? null
            : $"{name} ({limit}) reached: this operation would {verb} more than {allowed} record(s) of {_stats.Read} read; nothing past the limit was sent. If that is intended, raise options.{name}";
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

        if (result.StopReason is null)
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

        if (result.StopReason is { } stopReason)
        {
            Stop(stopReason);
        }
    }

    void ISourceContext.RejectRead(string origin, string rawText, string reason)
    {
        _stats.AddRead(1);
        _rejects.WriteRaw("read", origin, rawText, reason);
        CountRejected(1);
    }

    void ISourceContext.ReportProgress(long position, long? total) => _stats.SetSourceProgress(position, total);

    void ISourceContext.ReportWaiting(string? reason) => _stats.SetWaiting(reason);

    void ISinkContext.ReportWaiting(string? reason) => _stats.SetWaiting(reason);

    bool ISinkContext.MayHaveBeenWritten(Record record) => _ledger?.MayHaveBeenWritten ?? false;
}
