using System.Threading.Channels;
using EtlRunner.Connectors;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// The first stage: reads the source into chunks for the transform stage. It is also the source's
/// <see cref="ISourceContext"/>: a malformed row the source reports travels with the chunk being filled, and is counted
/// where its batch is known.
/// </summary>
internal sealed class ReadStage(ISource source, string sourceName, RecordAccounting accounting, OperationStop stop, HighWaterMark highWaterMark)
    : ISourceContext
{
    // Owned by the read task: the chunk being filled, which malformed rows are added to.
    private Batch _reading = new(0);

    public async Task RunAsync(ChannelWriter<Batch> output, int chunkSize)
    {
        var stats = accounting.Stats;
        _reading = new Batch(chunkSize);
        try
        {
            await using var records = source.ReadAsync(this, stop.Token).GetAsyncEnumerator(stop.Token);
            while (true)
            {
                try
                {
                    if (!await records.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (!stop.Caused(ex))
                {
                    stop.ConnectorFailed($"reading {sourceName}", ex);
                    break;
                }

                var record = records.Current;
                stats.AddRead(1);
                highWaterMark.Observe(record);
                _reading.Records.Add(record);
                if (_reading.Records.Count == chunkSize)
                {
                    await output.WriteAsync(_reading, stop.Token).ConfigureAwait(false);
                    _reading = new Batch(chunkSize);
                }
            }

            if (!stop.IsStopped && !_reading.IsEmpty)
            {
                await output.WriteAsync(_reading, stop.Token).ConfigureAwait(false);
                _reading = new Batch(0);
            }
        }
        catch (Exception ex) when (stop.Caused(ex))
        {
            // Stopped: the records of the pending chunk were read but never handed on.
        }
        catch (Exception ex)
        {
            stop.EngineFailed($"reading {sourceName}", ex);
        }
        finally
        {
            try
            {
                accounting.Unfinished(_reading.Records, StageName.Read);
                accounting.Reject(_reading.Rejects);
            }
            finally
            {
                output.Complete();
            }
        }
    }

    void ISourceContext.RejectRead(string origin, string rawText, string reason)
    {
        accounting.Stats.AddRead(1);
        _reading.Rejects.Add(accounting.Rejects.RawLine(RejectReason.Name(StageName.Read), origin, rawText, reason));
        accounting.Causes.Add(reason, null);
    }

    void ISourceContext.ReportProgress(long position, long? total) => accounting.Stats.SetSourceProgress(position, total);

    void ISourceContext.ReportWaiting(string? reason) => accounting.Stats.SetWaiting(reason);
}
