using System.Threading.Channels;
using EtlRunner.Expressions;
using EtlRunner.Planning;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// The middle stage: filters and maps the source's chunks into the target's batches, numbering them as the write
/// ledger will. The rejects met on the way travel with the batch being filled (see <see cref="Hold"/>).
/// </summary>
internal sealed class TransformStage(TransformPlan plan, VariableScope scope, RecordAccounting accounting, OperationStop stop, LedgerGate? ledger)
{
    public async Task RunAsync(ChannelReader<Batch> input, ChannelWriter<Batch> output, int batchSize)
    {
        var stats = accounting.Stats;
        var batch = new Batch(batchSize);
        long sequence = 1; // the ledger number the batch being filled will have
        Batch? chunk = null; // the chunk in hand (null between chunks) and its record in hand, i
        var i = 0;
        try
        {
            var transform = new RecordTransform(plan, scope);
            await foreach (var next in input.ReadAllAsync().ConfigureAwait(false))
            {
                (chunk, i) = (next, 0);
                Hold(batch, sequence, chunk.Rejects);
                for (; i < chunk.Records.Count; i++)
                {
                    if (stop.IsStopped)
                    {
                        // Checked per record, so a stop (timeout, max_rejects) takes effect within one record's time limit.
                        accounting.Unfinished(chunk.Records.GetRange(i, chunk.Records.Count - i), StageName.Transform);
                        break;
                    }

                    var record = chunk.Records[i];
                    var result = transform.Apply(record);
                    if (result.Output is null)
                    {
                        if (result.RejectReason is { } reason)
                        {
                            accounting.Causes.Add(reason, "transform_error");
                            Hold(batch, sequence, [accounting.Rejects.Line(RejectReason.Name(StageName.Transform), record, reason, "transform_error")]);
                        }
                        else
                        {
                            stats.AddFiltered(1);
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

                chunk = null; // every record of it accounted for
            }

            if (!batch.IsEmpty)
            {
                await output.WriteAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The transform's own failures are rejects (see RecordTransform): this is the engine's. Stop, and account for
            // everything still on its way: the record in hand is counted as rejected without a line (making its line may be
            // what failed), the rest of its chunk, the batch being filled and the chunks still coming are rejected.
            stop.EngineFailed("transforming records", ex);
            if (chunk is not null && i < chunk.Records.Count)
            {
                accounting.Count(1);
                accounting.Unfinished(chunk.Records.GetRange(i + 1, chunk.Records.Count - i - 1), StageName.Transform);
            }

            accounting.Unfinished(batch.Records, StageName.Transform);
            accounting.Reject(batch.Rejects);
            await foreach (var rest in input.ReadAllAsync().ConfigureAwait(false))
            {
                accounting.Unfinished(rest.Records, StageName.Transform);
                accounting.Reject(rest.Rejects);
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

        if (stop.IsStopped)
        {
            accounting.Reject(lines);
        }
        else if (ledger?.ConfirmedEarlier(sequence) == true)
        {
            accounting.Stats.AddSkipped(lines.Count);
        }
        else
        {
            batch.Rejects.AddRange(lines);
            accounting.Count(lines.Count);
        }
    }
}
