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
/// With one worker there are none: the assembler transforms each record when it takes it, exactly as before workers
/// existed. With more, the overshoot of a stop is bounded: after the reject that passes <c>max_rejects</c>, the workers
/// may have transformed up to <c>2 × workers + 1</c> more chunks (each of at most 256 records, each record within its
/// expression limits), whose results are dropped and whose records are rejected as unfinished; the counts are the same.
/// </para>
/// </remarks>
internal sealed class TransformStage(TransformPlan plan, VariableScope scope, RecordAccounting accounting, OperationStop stop, LedgerGate? ledger, int workers = 1)
{
    private readonly int _workers = Math.Clamp(workers, 1, 64);

    // Owned by the assembler: true once its own rejects stopped the operation (max_rejects).
    private bool _stoppedHere;

    /// <summary>
    /// The workers a run's transform gets: the cores left once the read and the write stage have one each, at most 4, and
    /// at least 1, which transforms on the assembler's own thread. On 2 cores that is 1: there, 2 workers cost 10-20% more
    /// CPU in hand-overs between threads (CSV -> SQLite, 1M rows: 6.9 s CPU with 1, 7.7-8.4 s with 2) and had no core to gain.
    /// </summary>
    public static int DefaultWorkers(TransformPlan plan) => plan.IsEmpty ? 1 : Math.Clamp(Environment.ProcessorCount - 2, 1, 4);

    public async Task RunAsync(ChannelReader<Batch> input, ChannelWriter<Batch> output, int batchSize)
    {
        var transforms = new RecordTransform[_workers];
        try
        {
            for (var w = 0; w < _workers; w++)
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

        if (_workers == 1)
        {
            // One worker: the assembler transforms each chunk itself, with no hand-over between threads.
            await AssembleAsync(Inline(input, transforms[0]), output, batchSize).ConfigureAwait(false);
            return;
        }

        // Owned by the dispatcher (writer) and the assembler (reader): the chunks in their input order.
        var ordered = Channel.CreateBounded<ChunkWork>(new BoundedChannelOptions(_workers * 2) { SingleWriter = true, SingleReader = true });

        // Owned by the dispatcher (writer) and the workers (readers): the chunks waiting for a worker.
        var pending = Channel.CreateBounded<ChunkWork>(new BoundedChannelOptions(_workers * 2) { SingleWriter = true, SingleReader = _workers == 1 });
        var dispatching = Task.Run(() => DispatchAsync(input, ordered.Writer, pending.Writer));
        var working = new Task[_workers];
        for (var w = 0; w < _workers; w++)
        {
            var transform = transforms[w];
            working[w] = Task.Run(() => WorkAsync(transform, pending.Reader));
        }

        await AssembleAsync(InOrder(ordered.Reader), output, batchSize).ConfigureAwait(false);
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

    /// <summary>The chunks as they come, each record transformed on the assembler's own thread as it takes it.</summary>
    private static async IAsyncEnumerable<ChunkWork> Inline(ChannelReader<Batch> input, RecordTransform transform)
    {
        await foreach (var chunk in input.ReadAllAsync().ConfigureAwait(false))
        {
            yield return new ChunkWork(chunk, transform);
        }
    }

    /// <summary>The chunks the workers transform, in their input order, each once its worker is done with it.</summary>
    private static async IAsyncEnumerable<ChunkWork> InOrder(ChannelReader<ChunkWork> ordered)
    {
        await foreach (var work in ordered.ReadAllAsync().ConfigureAwait(false))
        {
            await work.Completion.ConfigureAwait(false);
            yield return work;
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
    private async Task AssembleAsync(IAsyncEnumerable<ChunkWork> transformed, ChannelWriter<Batch> output, int batchSize)
    {
        var stats = accounting.Stats;
        var batch = new Batch(batchSize);
        long sequence = 1; // the ledger number the batch being filled will have
        ChunkWork? work = null; // the chunk in hand (null between chunks) and its record in hand, i
        var i = 0;
        await using var chunks = transformed.GetAsyncEnumerator();
        try
        {
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                var next = chunks.Current;
                (work, i) = (next, 0);
                var chunk = next.Chunk;
                Hold(batch, sequence, chunk.Rejects);
                for (; i < chunk.Records.Count; i++)
                {
                    if (stop.IsStopped && (_stoppedHere || !next.Transformed(i)))
                    {
                        // Checked per record, so a stop (timeout, max_rejects) takes effect within one record's time limit: a
                        // record's own result counts when its worker took it before another stage stopped the operation,
                        // never after this stage's own rejects passed max_rejects, as with a single transform.
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
            while (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                accounting.Unfinished(chunks.Current.Chunk.Records, StageName.Transform);
                accounting.Reject(chunks.Current.Chunk.Rejects);
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
            _stoppedHere |= stop.IsStopped; // these rejects passed max_rejects
        }
    }

    /// <summary>
    /// A chunk on its way through a worker: the results of its first <see cref="_done"/> records, and the exception the
    /// next one threw, if one did. Written by one worker, read by the assembler once <see cref="Completion"/> is done.
    /// With <c>onDemand</c> (one worker) no worker runs it: the assembler transforms each record as it asks for its result.
    /// </summary>
    private sealed class ChunkWork(Batch chunk, RecordTransform? onDemand = null)
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

        /// <summary>Whether a worker transformed record <paramref name="index"/> (it took it before the operation stopped); never on demand, where the assembler transforms it when it asks for its result.</summary>
        public bool Transformed(int index) => onDemand is null && index < _done;

        /// <summary>
        /// The result of record <paramref name="index"/>; throws what its transform threw. A record the worker did not reach
        /// because the operation stopped is never asked for: the assembler sees the stop first.
        /// </summary>
        public TransformResult Result(int index)
        {
            if (onDemand is not null)
            {
                return onDemand.Apply(chunk.Records[index]); // one worker: transformed now, after the stop was checked, as it always was
            }

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
