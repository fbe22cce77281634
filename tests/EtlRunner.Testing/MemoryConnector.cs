using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EtlRunner.Connectors;

namespace EtlRunner.Testing;

/// <summary>
/// A connector of type <c>memory</c> for engine tests: <c>query</c> reads the records stored under the connection's
/// <c>store</c> name, <c>create</c> appends to it. Switches on the activity make it misbehave on purpose:
/// <c>reject_field</c> rejects records whose field is true, <c>fail_at_batch</c> throws on that batch,
/// <c>stop_at_batch</c> returns a stop reason, <c>delay_ms</c> slows every record down.
/// </summary>
public sealed class MemoryConnector : IConnector
{
    public ConcurrentDictionary<string, List<Record>> Stores { get; } = new(StringComparer.Ordinal);

    /// <summary>Batches received by each store's sink, for batching assertions.</summary>
    public ConcurrentDictionary<string, List<int>> BatchSizes { get; } = new(StringComparer.Ordinal);

    public ConnectorDescriptor Descriptor { get; } = new(
        "memory",
        "Records in memory, for tests.",
        [new ParameterSpec("store", ParameterType.String, "The name of the record list.") { Required = true }],
        [
            new ActivitySpec(ActivityKind.Query, "Read the store.", [
                new ParameterSpec("delay_ms", ParameterType.Integer, "Delay per record."),
                new ParameterSpec("fail_after", ParameterType.Integer, "Throw after this many records."),
                new ParameterSpec("generate", ParameterType.Integer, "Generate this many records (id, n) lazily instead of reading the store."),
            ]),
            new ActivitySpec(ActivityKind.Create, "Append to the store.", [
                new ParameterSpec("reject_field", ParameterType.String, "Reject records whose field is true."),
                new ParameterSpec("fail_at_batch", ParameterType.Integer, "Throw on this batch (1-based)."),
                new ParameterSpec("stop_at_batch", ParameterType.Integer, "Stop on this batch (1-based): write half, reject the rest."),
                new ParameterSpec("preferred_batch_size", ParameterType.Integer, "The sink's own batch size."),
                new ParameterSpec("discard", ParameterType.Boolean, "Count records as written but keep none."),
            ]),
            new ActivitySpec(ActivityKind.Target("append"), "The connector's own target activity: appends like create.", []),
        ]);

    /// <summary>How often each activity was checked (<see cref="IConnector.Validate"/>, once per plan), by store and activity: <c>input:query</c>.</summary>
    public ConcurrentDictionary<string, int> Checks { get; } = new(StringComparer.Ordinal);

    public IEnumerable<SettingProblem> Validate(ActivityKind kind, Settings connection, Settings activity)
    {
        Checks.AddOrUpdate($"{connection.GetString("store")}:{kind.ToName()}", 1, (_, count) => count + 1);
        return [];
    }

    /// <summary>The store, for the resource locks and the dry run.</summary>
    public string? WriteResource(ActivityKind kind, Settings connection, Settings activity) => "memory store " + connection.GetString("store");

    public string? ReadResource(Settings connection, Settings activity) => activity.GetInt64("generate") is null ? "memory store " + connection.GetString("store") : null;

    public void Seed(string store, IEnumerable<Record> records) => Stores[store] = [.. records];

    public List<Record> Store(string name) => Stores.GetOrAdd(name, _ => []);

    public ISource CreateSource(ActivityContext context) => new MemorySource(this, context);

    public ISink CreateSink(ActivityContext context) => new MemorySink(this, context);

    public Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Stores.ContainsKey(context.Connection.GetRequiredString("store"))
            ? ConnectionTestResult.Ok("store exists")
            : ConnectionTestResult.Failed("no such store"));

    private sealed class MemorySource(MemoryConnector owner, ActivityContext context) : ISource
    {
        public async IAsyncEnumerable<Record> ReadAsync(ISourceContext source, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var generate = context.Activity.GetInt64("generate");
            IReadOnlyList<Record> records = generate is { } total ? new GeneratedRecords((int)total) : owner.Store(context.Connection.GetRequiredString("store")).ToList();
            var delay = context.Activity.GetInt64("delay_ms") ?? 0;
            var failAfter = context.Activity.GetInt64("fail_after");
            var count = 0;
            foreach (var record in records)
            {
                if (failAfter is { } limit && count >= limit)
                {
                    throw new InvalidOperationException("the source broke on purpose");
                }

                if (delay > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(delay), cancellationToken);
                }

                source.ReportProgress(++count, records.Count);
                yield return record;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Records made on demand, so a huge input costs no memory up front.</summary>
    private sealed class GeneratedRecords(int count) : IReadOnlyList<Record>
    {
        private static readonly RecordSchema Schema = new(["id", "n"]);

        public int Count => count;

        public Record this[int index] => new(Schema, [$"id{index}", (long)index], $"generated:{index}");

        public IEnumerator<Record> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class MemorySink(MemoryConnector owner, ActivityContext context) : ISink
    {
        private int _batches;

        public int? PreferredBatchSize => context.Activity.GetInt64("preferred_batch_size") is { } size ? (int)size : null;

        public ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext sink, CancellationToken cancellationToken)
        {
            var name = context.Connection.GetRequiredString("store");
            var number = ++_batches;
            owner.BatchSizes.GetOrAdd(name, _ => []).Add(batch.Count);
            if (context.Activity.GetInt64("fail_at_batch") == number)
            {
                throw new InvalidOperationException("the target broke on purpose");
            }

            var rejectField = context.Activity.GetString("reject_field");
            var rejected = new List<RejectedRecord>();
            var written = 0;
            var stopAt = context.Activity.GetInt64("stop_at_batch") == number ? batch.Count / 2 : int.MaxValue;
            var store = owner.Store(name);
            for (var i = 0; i < batch.Count; i++)
            {
                var record = batch[i];
                if (i >= stopAt)
                {
                    rejected.Add(new RejectedRecord(record, "not written: quota exhausted") { Code = "quota_exceeded" });
                }
                else if (rejectField is not null && record[rejectField] is true or "true")
                {
                    rejected.Add(new RejectedRecord(record, $"{rejectField} is true") { Code = "refused" });
                }
                else
                {
                    if (!context.Activity.GetBoolean("discard", false))
                    {
                        lock (store)
                        {
                            store.Add(record);
                        }
                    }

                    written++;
                }
            }

            return ValueTask.FromResult(new WriteResult(written, 0, rejected, stopAt < batch.Count ? "quota exhausted" : null));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
