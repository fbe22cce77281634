using EtlRunner.Sandbox;

namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>
/// A sandbox on a loopback port plus what the engine would give the connector: settings with the descriptor's
/// defaults applied, a run's resources, a connector state that outlives runs. Drives sources and sinks like the engine.
/// </summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    /// <summary>Short backoff and polling, so fault tests stay fast (pacing is unchanged).</summary>
    public static readonly ConstantContactTuning FastTuning = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        PollInitialInterval = TimeSpan.FromMilliseconds(50),
        PollMaxInterval = TimeSpan.FromMilliseconds(200),
    };

    private readonly TempFolder _folder;

    private SandboxHarness(ConstantContactSandbox sandbox, TempFolder folder, ConstantContactTuning tuning, bool rateLimited)
    {
        Sandbox = sandbox;
        _folder = folder;
        Connector = new ConstantContactConnector(tuning);
        Connection = new Dictionary<string, object?>
        {
            ["api_key"] = SandboxDefaults.ClientId,
            ["access_token"] = SandboxDefaults.AccessToken,
            ["base_url"] = sandbox.BaseUrl.ToString(),
            ["token_url"] = sandbox.TokenUrl.ToString(),
            ["requests_per_second"] = rateLimited ? 4.0 : 100.0,
            ["timeout_seconds"] = 5L,
        };
    }

    public ConstantContactSandbox Sandbox { get; }

    public ConstantContactConnector Connector { get; }

    /// <summary>The connection's YAML fields (before defaults); tests change them before a run.</summary>
    public Dictionary<string, object?> Connection { get; }

    public MemoryConnectorState State { get; } = new();

    public ListLogger Logger { get; } = new();

    public static async Task<SandboxHarness> StartAsync(
        SeedData? seed = null,
        bool rateLimit = false,
        string? faults = null,
        int dailyRequestLimit = 10_000,
        TimeSpan? activityDuration = null,
        ConstantContactTuning? tuning = null,
        string? seedFile = null)
    {
        var folder = new TempFolder();
        var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions
        {
            Port = 0,
            RateLimit = rateLimit,
            Faults = faults,
            DailyRequestLimit = dailyRequestLimit,
            SeedFile = seedFile ?? seed?.WriteTo(folder.Path),
            ActivityDuration = activityDuration ?? TimeSpan.FromMilliseconds(150),
        });
        return new SandboxHarness(sandbox, folder, tuning ?? FastTuning, rateLimit);
    }

    public static Settings WithDefaults(IReadOnlyList<ParameterSpec> specs, IReadOnlyDictionary<string, object?> values)
    {
        var result = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        foreach (var spec in specs.Where(s => s.Default is not null && !result.ContainsKey(s.Name)))
        {
            result[spec.Name] = spec.Default;
        }

        return new Settings(result);
    }

    /// <summary>A new run: fresh resources (one client per connection), the same connector state; <paramref name="gate"/> as an agent group's shared request limits.</summary>
    public Run NewRun(IRequestGate? gate = null) => new(this) { Gate = gate };

    /// <summary>Reads every record of a query in a run of its own.</summary>
    public async Task<List<Record>> QueryAsync(Dictionary<string, object?>? activity = null, RecordingContext? context = null)
    {
        await using var run = NewRun();
        return await run.QueryAsync(activity, context);
    }

    /// <summary>Writes the records in a run of its own (a dry run's preview when <paramref name="preview"/>).</summary>
    public async Task<SinkOutcome> WriteAsync(ActivityKind kind, IEnumerable<Record> records, Dictionary<string, object?>? activity = null, RecordingContext? context = null, int batchSize = 500, bool preview = false)
    {
        await using var run = NewRun();
        return await run.WriteAsync(kind, records, activity, context, batchSize, preview);
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>One run's context: the resources are disposed (the shared client with them) when it ends.</summary>
    internal sealed class Run(SandboxHarness harness) : IAsyncDisposable
    {
        public RunResources Resources { get; } = new();

        public IRequestGate? Gate { get; init; }

        public ConnectionContext Connection => new("Constant Contact", WithDefaults(ConstantContactParameters.Connection, harness.Connection), Resources, harness.State)
        {
            Logger = harness.Logger,
            RequestGate = Gate,
        };

        public ActivityContext Activity(ActivityKind kind, Dictionary<string, object?>? parameters = null, bool preview = false)
        {
            var spec = harness.Connector.Descriptor.FindActivity(kind)!;
            return new ActivityContext("operation", kind, WithDefaults(spec.Parameters, parameters ?? []), Connection) { Preview = preview };
        }

        public async Task<List<Record>> QueryAsync(Dictionary<string, object?>? activity = null, RecordingContext? context = null)
        {
            await using var source = harness.Connector.CreateSource(Activity(ActivityKind.Query, activity));
            var records = new List<Record>();
            await foreach (var record in source.ReadAsync(context ?? new RecordingContext(), CancellationToken.None))
            {
                records.Add(record);
            }

            return records;
        }

        /// <summary>Feeds the records in batches (the sink's preferred size wins) and stops at a StopReason, as the engine does.</summary>
        public async Task<SinkOutcome> WriteAsync(ActivityKind kind, IEnumerable<Record> records, Dictionary<string, object?>? activity = null, RecordingContext? context = null, int batchSize = 500, bool preview = false)
        {
            await using var sink = harness.Connector.CreateSink(Activity(kind, activity, preview));
            var outcome = new SinkOutcome { Sink = sink };
            var size = sink.PreferredBatchSize ?? batchSize;
            outcome.BatchSize = size;
            foreach (var batch in records.Chunk(size))
            {
                var result = await sink.WriteAsync(batch, context ?? new RecordingContext(), CancellationToken.None);
                Assert.Equal(batch.Length, result.Total);
                outcome.Add(result);
                if (result.StopReason is not null)
                {
                    return outcome;
                }
            }

            await sink.CompleteAsync(CancellationToken.None);
            return outcome;
        }

        public ValueTask DisposeAsync() => Resources.DisposeAsync();
    }
}

/// <summary>The sum of a sink's WriteResults over an operation.</summary>
internal sealed class SinkOutcome
{
    public int Written { get; private set; }

    public int Skipped { get; private set; }

    public List<RejectedRecord> Rejected { get; } = [];

    public string? StopReason { get; private set; }

    public int Batches { get; private set; }

    public int BatchSize { get; set; }

    public int Total => Written + Skipped + Rejected.Count;

    /// <summary>The batches' kinds added up; null when a batch's were unknown.</summary>
    public WriteKinds? Kinds { get; private set; } = new(0, 0, 0, 0);

    /// <summary>A preview's record previews, in record order; empty for a real write.</summary>
    public List<RecordPreview> Previews { get; } = [];

    /// <summary>The sink that wrote (disposed): its <see cref="ISink.PreviewRequests"/> is still readable.</summary>
    public ISink? Sink { get; init; }

    public long? PreviewRequests => Sink?.PreviewRequests;

    public void Add(WriteResult result)
    {
        Written += result.Written;
        Skipped += result.Skipped;
        Rejected.AddRange(result.Rejected);
        StopReason ??= result.StopReason;
        Kinds = Kinds is { } sum && result.Kinds is { } more
            ? new WriteKinds(sum.Created + more.Created, sum.Updated + more.Updated, sum.Deleted + more.Deleted, sum.Unchanged + more.Unchanged)
            : null;
        Previews.AddRange(result.Previews ?? []);
        Batches++;
    }
}
