using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using EtlRunner.Expressions;
using EtlRunner.Planning;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// The middle stage: filters and maps the source's chunks into the target's batches, numbering them as the write
/// ledger will. The rejects met on the way travel with the batch being filled (see <see cref="Hold"/>).
/// </summary>
/// <remarks>
/// <para>
/// The transform of a chunk runs on one of <c>workers</c> tasks, each with its own <see cref="RecordTransform"/>
/// (a script runtime is not thread-safe); the chunks are taken in order by one assembler, which does everything the
/// records' order decides: counting, holding rejects, cutting and numbering batches and hashing them for the ledger.
/// So the batches, their numbers and their rejects are the same whatever the number of workers.
/// </para>
/// <para>
/// Stops: a worker checks for a stop before each record, and the assembler checks again, in order, before it takes
/// each result, as a single transform would: records after the point where the operation stopped are rejected as
/// unfinished even when a worker had already transformed them (the transform has no side effects, so that work is
/// only dropped). So <c>max_rejects</c> stops at the same record with any number of workers.
/// </para>
/// <para>
/// Bounds: at most <c>2 × workers</c> chunks are between the input and the assembler, taken or waiting for a worker.
/// </para>
/// </remarks>
internal sealed class TransformStage(TransformPlan plan, VariableScope scope, RecordAccounting accounting, OperationStop stop, LedgerGate? ledger, int workers = 1)
{
    /// <summary>The workers a run's transform gets: one per core (the read and write stages wait on I/O part of the time), at most 4.</summary>
    public static int DefaultWorkers(TransformPlan plan) => plan.IsEmpty ? 1 : Math.Clamp(Environment.ProcessorCount, 1, 4);

    public async Task RunAsync(ChannelReader<Batch> input, ChannelWriter<Batch> output, int batchSize)
    {
        var transforms = new RecordTransform[workers];
        try
        {
            for (var w = 0; w < workers; w++)
            {
                transforms[w] = new RecordTransform(plan, scope);
            }
        }
        catch (Exception ex)
        {
            // Nothing is in hand yet: every chunk coming is rejected as unfinished.
            stop.EngineFailed("transforming records", ex);
            await DrainAsync(input, output).ConfigureAwait(false);
            return;
        }

        // Owned by the dispatcher (writer) and the assembler (reader): the chunks in their input order.
        var ordered = Channel.CreateBounded<ChunkWork>(new BoundedChannelOptions(workers * 2) { SingleWriter = true, SingleReader = true });

        // Owned by the dispatcher (writer) and the workers (readers): the chunks waiting for a worker.
        var pending = Channel.CreateBounded<ChunkWork>(new BoundedChannelOptions(workers * 2) { SingleWriter = true, SingleReader = workers == 1 });
        var dispatching = Task.Run(() => DispatchAsync(input, ordered.Writer, pending.Writer));
        var working = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            var transform = transforms[w];
            working[w] = Task.Run(() => WorkAsync(transform, pending.Reader));
        }

        await AssembleAsync(ordered.Reader, output, batchSize).ConfigureAwait(false);
        await dispatching.ConfigureAwait(false);
        await Task.WhenAll(working).ConfigureAwait(false);
    }

    private async Task DrainAsync(ChannelReader<Batch> input, ChannelWriter<Batch> output)
    {
        try
        {
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

    /// <summary>Hands each chunk to the workers and, in the same order, to the assembler.</summary>
    private static async Task DispatchAsync(ChannelReader<Batch> input, ChannelWriter<ChunkWork> ordered, ChannelWriter<ChunkWork> pending)
    {
        try
        {
            await foreach (var chunk in input.ReadAllAsync().ConfigureAwait(false))
            {
                var work = new ChunkWork(chunk);
                await ordered.WriteAsync(work).ConfigureAwait(false); // first: the assembler never waits for a chunk no worker can get
                await pending.WriteAsync(work).ConfigureAwait(false);
            }
        }
        finally
        {
            pending.Complete();
            ordered.Complete();
        }
    }

    /// <summary>One worker: transforms the chunks it takes, each record as <see cref="RecordTransform.Apply"/> makes it.</summary>
    private async Task WorkAsync(RecordTransform transform, ChannelReader<ChunkWork> pending)
    {
        await foreach (var work in pending.ReadAllAsync().ConfigureAwait(false))
        {
            work.Run(transform, stop);
        }
    }

    /// <summary>Takes the transformed chunks in order and accounts for every record of them, exactly as a single transform would.</summary>
    private async Task AssembleAsync(ChannelReader<ChunkWork> ordered, ChannelWriter<Batch> output, int batchSize)
    {
        var stats = accounting.Stats;
        var batch = new Batch(batchSize);
        long sequence = 1; // the ledger number the batch being filled will have
        ChunkWork? work = null; // the chunk in hand (null between chunks) and its record in hand, i
        var i = 0;
        try
        {
            await foreach (var next in ordered.ReadAllAsync().ConfigureAwait(false))
            {
                (work, i) = (next, 0);
                await next.Completion.ConfigureAwait(false);
                var chunk = next.Chunk;
                Hold(batch, sequence, chunk.Rejects);
                for (; i < chunk.Records.Count; i++)
                {
                    if (stop.IsStopped)
                    {
                        // Checked per record, so a stop (timeout, max_rejects) takes effect within one record's time limit.
                        accounting.Unfinished(chunk.Records.GetRange(i, chunk.Records.Count - i), StageName.Transform);
                        break;
                    }

                    var result = next.Result(i);
                    if (result.Output is null)
                    {
                        if (result.RejectReason is { } reason)
                        {
                            var record = chunk.Records[i];
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
                        await output.WriteAsync(Hashed(batch)).ConfigureAwait(false);
                        batch = new Batch(batchSize);
                        sequence++;
                    }
                }

                work = null; // every record of it accounted for
            }

            if (!batch.IsEmpty)
            {
                await output.WriteAsync(Hashed(batch)).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The transform's own failures are rejects (see RecordTransform): this is the engine's. Stop, and account for
            // everything still on its way: the record in hand is counted as rejected without a line (making its line may be
            // what failed), the rest of its chunk, the batch being filled and the chunks still coming are rejected.
            stop.EngineFailed("transforming records", ex);
            if (work is not null && i < work.Chunk.Records.Count)
            {
                var records = work.Chunk.Records;
                accounting.Count(1);
                accounting.Unfinished(records.GetRange(i + 1, records.Count - i - 1), StageName.Transform);
            }

            accounting.Unfinished(batch.Records, StageName.Transform);
            accounting.Reject(batch.Rejects);
            await foreach (var rest in ordered.ReadAllAsync().ConfigureAwait(false))
            {
                accounting.Unfinished(rest.Chunk.Records, StageName.Transform);
                accounting.Reject(rest.Chunk.Rejects);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    /// <summary>The batch with its ledger hash, made here so the write stage does not spend the target's time on it.</summary>
    private Batch Hashed(Batch batch)
    {
        if (ledger is not null)
        {
            batch.Hash = LedgerGate.Hash(batch.Records);
        }

        return batch;
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

    /// <summary>
    /// A chunk on its way through a worker: the results of its first <see cref="_done"/> records, and the exception the
    /// next one threw, if one did. Written by one worker, read by the assembler once <see cref="Completion"/> is done.
    /// </summary>
    private sealed class ChunkWork(Batch chunk)
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TransformResult[] _results = new TransformResult[chunk.Records.Count];
        private int _done;
        private Exception? _failure;

        public Batch Chunk => chunk;

        public Task Completion => _completion.Task;

        /// <summary>Transforms the records until the end, a stop, or an exception that is the engine's (kept for the assembler).</summary>
        public void Run(RecordTransform transform, OperationStop stop)
        {
            try
            {
                var records = chunk.Records;
                for (; _done < records.Count && !stop.IsStopped; _done++)
                {
                    _results[_done] = transform.Apply(records[_done]);
                }
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
            finally
            {
                _completion.SetResult();
            }
        }

        /// <summary>
        /// The result of record <paramref name="index"/>; throws what its transform threw. A record the worker did not reach
        /// because the operation stopped is never asked for: the assembler sees the stop first.
        /// </summary>
        public TransformResult Result(int index)
        {
            if (index < _done)
            {
                return _results[index];
            }

            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }

            throw new InvalidOperationException($"record {index} of the chunk was not transformed ({_done} were) and the operation has not stopped");
        }
    }
}
