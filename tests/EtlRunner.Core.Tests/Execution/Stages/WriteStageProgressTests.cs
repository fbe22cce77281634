using EtlRunner.Connectors;
using EtlRunner.Execution;
using EtlRunner.Planning;
using EtlRunner.Testing;
using Record = EtlRunner.Connectors.Record;

namespace EtlRunner.Core.Tests.Execution.Stages;

/// <summary>The live counts move as a record-by-record target reports each record done, and end as its batches' results say.</summary>
public sealed class WriteStageProgressTests : IDisposable
{
    private readonly ReportingConnector _target = new();
    private readonly PipelineHarness _harness;

    public WriteStageProgressTests()
    {
        _harness = new PipelineHarness(_target);
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Run_LiveView_CountsRecordsAsTheTargetReportsThem()
    {
        _harness.Memory.Seed("input", Some.Records(6, "email"));

        var report = await _harness.RunAsync("""
            project: progress
            connections:
              - { name: In, type: memory, store: input }
              - { name: Out, type: reporting }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
                options: { batch_size: 3 }
            """, new RunOptions { Observer = _target });

        Assert.Equal([1, 2, 3, 4, 5, 6], _target.SeenWritten); // batch 2 starts from batch 1's result, not from its result plus what it reported
        Assert.Equal(new OperationCounts(6, 0, 6, 0, 0) { Kinds = new OperationKinds(6, 0, 0, 0) }, Assert.Single(report.Operations).Counts);
        Assert.Equal(0, _target.Stats!.Provisional);
    }

    [Fact]
    public async Task Run_DryRun_CountsAPreviewingTargetsResultAsARealWriteAndWritesNothing()
    {
        _harness.Memory.Seed("input", Some.Records(4, "email"));

        var report = await _harness.RunAsync("""
            project: progress
            connections:
              - { name: In, type: memory, store: input }
              - { name: Out, type: reporting }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
            """, new RunOptions { Observer = _target, DryRun = true });

        var operation = Assert.Single(report.Operations);
        Assert.Equal(new OperationCounts(4, 0, 3, 1, 0) { Kinds = new OperationKinds(3, 0, 0, 1) }, operation.Counts);
        Assert.Equal(4, operation.PreviewRequests);
        Assert.Equal(0, _target.Sent);
    }

    /// <summary>
    /// A target that writes record by record and reports each one done, noting the live written count each time; created
    /// for a dry run, it previews: the last record of a batch would be skipped as unchanged, one request per record.
    /// </summary>
    private sealed class ReportingConnector : IConnector, IRunObserver
    {
        public ConnectorDescriptor Descriptor { get; } = new("reporting", "Reports each record done.", [], [new ActivitySpec(ActivityKind.Create, "Write.", [])]);

        public OperationStats? Stats { get; private set; }

        public List<long> SeenWritten { get; } = [];

        public int Sent { get; private set; }

        public ISource CreateSource(ActivityContext context) => throw new NotSupportedException();

        public ISink CreateSink(ActivityContext context) => new Sink(this, context.Preview);

        public Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken) => Task.FromResult(ConnectionTestResult.Ok("ok"));

        public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom) => Stats = stats;

        public void OperationFinished(OperationResult result)
        {
        }

        private sealed class Sink(ReportingConnector owner, bool preview) : ISink
        {
            private long _requests;

            public bool CanPreview => true;

            public long? PreviewRequests => preview ? _requests : null;

            public ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken)
            {
                if (preview)
                {
                    _requests += batch.Count;
                    var previews = batch.Select((r, i) => new RecordPreview(r, i == batch.Count - 1 ? RecordAction.Skip : RecordAction.Create)).ToList();
                    return ValueTask.FromResult(new WriteResult(batch.Count - 1, 1) { Kinds = new WriteKinds(batch.Count - 1, 0, 0, 1), Previews = previews });
                }

                foreach (var _ in batch)
                {
                    owner.Sent++;
                    context.ReportDone(1);
                    owner.SeenWritten.Add(owner.Stats!.Live().Written);
                }

                return ValueTask.FromResult(new WriteResult(batch.Count) { Kinds = new WriteKinds(batch.Count, 0, 0, 0) });
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
