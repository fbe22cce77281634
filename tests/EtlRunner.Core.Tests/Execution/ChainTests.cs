using EtlRunner.Execution;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Execution;

public sealed class ChainTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private const string Chain = """
        project: chained
        variables:
          tag: default-tag
        connections:
          - { name: In, type: memory, store: input }
          - { name: Out, type: memory, store: output }
          - { name: Log, type: memory, store: log }
        operations:
          - name: Load
            source: { connection: In, activity: query }
            target: { connection: Out, activity: create, fail_at_batch: "[fail_at{0}]" }
            set:
              loaded_by: "{{ system.operation.name }}-{{ tag }}"
              load_count: "{{ 40 + 2 }}"
            on_success: Report
            on_failure: Alert
          - name: Report
            source: { connection: Out, activity: query }
            transform:
              map:
                line: "{{ loaded_by }} {{ load_count }} after {{ system.operation.previous.name }} ({{ system.operation.previous.status }}, {{ system.operation.previous.records_written }} written)"
            target: { connection: Log, activity: create }
          - name: Alert
            source: { connection: In, activity: query, generate: 1 }
            transform:
              map:
                line: "alert: {{ jitterbit.operation.previous.name }} {{ jitterbit.operation.previous.status }}: {{ system.operation.previous.error }}"
            target: { connection: Log, activity: create }
        """;

    [Fact]
    public async Task Run_OnSuccess_RunsNextWithGlobalsAndPreviousOperation()
    {
        _harness.Memory.Seed("input", Some.Records(3, "email"));

        var report = await _harness.RunAsync(Chain);

        Assert.Equal(["Load", "Report"], report.Operations.Select(o => o.Name));
        Assert.Equal("Load", report.Operations[1].ChainedFrom);
        var line = (string)_harness.Memory.Store("log")[0]["line"]!;
        Assert.Equal("Load-default-tag 42 after Load (success, 3 written)", line);
    }

    [Fact]
    public async Task Run_OnFailure_RunsTheFailureBranchWithTheError()
    {
        _harness.Memory.Seed("input", Some.Records(3, "email"));
        var yaml = Chain.Replace("[fail_at{0}]", "1", StringComparison.Ordinal);

        var report = await _harness.RunAsync(yaml);

        Assert.Equal(["Load", "Alert"], report.Operations.Select(o => o.Name));
        Assert.Equal(1, report.ExitCode);
        var line = (string)_harness.Memory.Store("log")[0]["line"]!;
        Assert.StartsWith("alert: Load error: writing to Out failed: the target broke on purpose", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithoutOperation_RunsOnlyRootOperations()
    {
        _harness.Memory.Seed("input", Some.Records(1, "email"));

        var report = await _harness.RunAsync(Chain);

        Assert.DoesNotContain(report.Operations, o => o.Name == "Alert");
        Assert.Equal(1, report.Operations.Count(o => o.Name == "Report"));
    }

    [Fact]
    public async Task Run_SelectedOperation_RunsOnlyItsChain()
    {
        _harness.Memory.Seed("input", Some.Records(1, "email"));

        var report = await _harness.RunAsync(Chain, new RunOptions { Operation = "Alert" });

        Assert.Equal(["Alert"], report.Operations.Select(o => o.Name));
    }

    public void Dispose() => _harness.Dispose();
}
