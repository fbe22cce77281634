using System.Text.Json;
using EtlRunner.Execution;
using EtlRunner.Planning;
using EtlRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EtlRunner.Core.Tests.Execution;

public sealed class PipelineRunnerTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private static string Copy(string target = "", string options = "", string transform = "", string source = "") => $$"""
        project: demo
        connections:
          - { name: In, type: memory, store: input }
          - { name: Out, type: memory, store: output }
        operations:
          - name: Copy
            source: { connection: In, activity: query {{source}} }
            {{transform}}
            target: { connection: Out, activity: create {{target}} }
            options: { batch_size: 10 {{options}} }
        """;

    [Fact]
    public async Task Run_CopiesEveryRecord_CountsBalance()
    {
        _harness.Memory.Seed("input", Some.Records(95, "email", "name"));

        var report = await _harness.RunAsync(Copy());

        var operation = Assert.Single(report.Operations);
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        Assert.Equal(new OperationCounts(95, 0, 95, 0, 0), operation.Counts);
        Assert.Equal(95, _harness.Memory.Store("output").Count);
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public async Task Run_Chain_PlansEachOperationOnce()
    {
        _harness.Memory.Seed("input", Some.Records(3, "email"));
        var chain = Copy().Replace("options: { batch_size: 10  }", """
            on_success: Copy again
              - name: Copy again
                source: { connection: Out, activity: query }
                target: { connection: Final, activity: create }
            """, StringComparison.Ordinal).Replace("  - { name: Out, type: memory, store: output }", """
              - { name: Out, type: memory, store: output }
              - { name: Final, type: memory, store: final }
            """, StringComparison.Ordinal);

        var report = await _harness.RunAsync(chain);

        Assert.Equal(["Copy", "Copy again"], report.Operations.Select(o => o.Name));
        Assert.Equal(3, _harness.Memory.Store("final").Count);
        Assert.Equal(
            new Dictionary<string, int> { ["input:query"] = 1, ["output:create"] = 1, ["output:query"] = 1, ["final:create"] = 1 },
            _harness.Memory.Checks.ToDictionary());
    }

    [Fact]
    public async Task Run_CancelledBeforeTheFirstOperation_IsCancelledNotASuccess()
    {
        _harness.Memory.Seed("input", Some.Records(3, "email"));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        var report = await _harness.RunAsync(Copy(), cancellationToken: cancel.Token);

        Assert.Empty(report.Operations);
        Assert.True(report.Cancelled);
        Assert.Equal(130, report.ExitCode);
        Assert.Empty(_harness.Memory.Store("output"));
    }

    [Fact]
    public async Task Run_ConnectorsOwnTargetActivity_WritesThroughItsSink()
    {
        _harness.Memory.Seed("input", Some.Records(15, "email"));

        var report = await _harness.RunAsync(Copy().Replace("activity: create", "activity: append", StringComparison.Ordinal));

        Assert.Equal(new OperationCounts(15, 0, 15, 0, 0), Assert.Single(report.Operations).Counts);
        Assert.Equal(15, _harness.Memory.Store("output").Count);
    }

    [Fact]
    public async Task Run_BatchSize_SendsFullBatchesThenTheRest()
    {
        _harness.Memory.Seed("input", Some.Records(25, "email"));

        await _harness.RunAsync(Copy());

        Assert.Equal([10, 10, 5], _harness.Memory.BatchSizes["output"]);
    }

    [Fact]
    public async Task Run_SinkPrefersItsOwnBatchSize_EngineFollowsIt()
    {
        _harness.Memory.Seed("input", Some.Records(25, "email"));

        await _harness.RunAsync(Copy(target: ", preferred_batch_size: 20"));

        Assert.Equal([20, 5], _harness.Memory.BatchSizes["output"]);
    }

    [Fact]
    public async Task Run_WhereAndMap_FilterAndReshape()
    {
        _harness.Memory.Seed("input", Some.Records(10, "email", "name"));
        var transform = """
            transform:
                  where: record.email != "email3"
                  map:
                    address: "{{ record.email | string.upcase }}"
                    length: "{{ record.name | string.size }}"
            """;

        var report = await _harness.RunAsync(Copy(transform: transform));

        Assert.Equal(new OperationCounts(10, 1, 9, 0, 0), report.Operations[0].Counts);
        var first = _harness.Memory.Store("output")[0];
        Assert.Equal(["address", "length"], first.Keys);
        Assert.Equal("EMAIL1", first["address"]);
        Assert.Equal(5L, first["length"]);
    }

    [Fact]
    public async Task Run_TargetRejectsRecord_WritesItToRejects()
    {
        var records = Some.Records(4, "email");
        records.Add(Some.Record(("email", "bad@x"), ("refuse", true)));
        _harness.Memory.Seed("input", records);

        var report = await _harness.RunAsync(Copy(target: ", reject_field: refuse"));

        var operation = report.Operations[0];
        Assert.Equal(new OperationCounts(5, 0, 4, 0, 1), operation.Counts);
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        var line = Assert.Single(File.ReadAllLines(operation.RejectsFile!));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("write", json.RootElement.GetProperty("stage").GetString());
        Assert.Equal("refuse is true", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal("refused", json.RootElement.GetProperty("code").GetString());
        Assert.Equal("bad@x", json.RootElement.GetProperty("record").GetProperty("email").GetString());
        Assert.StartsWith(Path.Combine(_harness.Folder.Path, ".etl", "rejects"), operation.RejectsFile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MoreRejectsThanMaxRejects_FailsAndAccountsForEveryRecord()
    {
        var records = Enumerable.Range(0, 200).Select(i => Some.Record(("email", $"e{i}"), ("refuse", i % 2 == 0))).ToList();
        _harness.Memory.Seed("input", records);

        var report = await _harness.RunAsync(Copy(target: ", reject_field: refuse", options: ", max_rejects: 3"));

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Contains("more than 3 records rejected", operation.Error, StringComparison.Ordinal);
        Assert.True(operation.Counts.Balanced);
        Assert.Equal(operation.Counts.Rejected, File.ReadAllLines(operation.RejectsFile!).Length);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Run_TargetThrows_RejectsTheBatchAndFails()
    {
        _harness.Memory.Seed("input", Some.Records(30, "email"));

        var report = await _harness.RunAsync(Copy(target: ", fail_at_batch: 2"));

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Contains("the target broke on purpose", operation.Error, StringComparison.Ordinal);
        Assert.Equal(10, operation.Counts.Written);
        Assert.Equal(operation.Counts.Read - 10, operation.Counts.Rejected);
        Assert.True(operation.Counts.Balanced);
    }

    [Fact]
    public async Task Run_TargetStopsHalfway_FailsWithItsReasonAndLosesNothing()
    {
        _harness.Memory.Seed("input", Some.Records(30, "email"));

        var report = await _harness.RunAsync(Copy(target: ", stop_at_batch: 2"));

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Equal("quota exhausted", operation.Error);
        Assert.Equal(15, operation.Counts.Written);
        Assert.True(operation.Counts.Balanced);
        var reasons = File.ReadAllLines(operation.RejectsFile!).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()).ToList();
        Assert.Contains("not written: quota exhausted", reasons);
    }

    [Fact]
    public async Task Run_SourceThrows_FailsTheOperation()
    {
        _harness.Memory.Seed("input", Some.Records(50, "email"));

        var report = await _harness.RunAsync(Copy(source: ", fail_after: 20"));

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Contains("reading In failed: the source broke on purpose", operation.Error, StringComparison.Ordinal);
        Assert.True(operation.Counts.Balanced);
    }

    [Fact]
    public async Task Run_TargetThrows_ReportsAConnectorFailure()
    {
        _harness.Memory.Seed("input", Some.Records(25, "email"));

        var report = await _harness.RunAsync(Copy(target: ", fail_at_batch: 2"));

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Equal(StopCause.ConnectorFailure, operation.StoppedBy);
        Assert.Equal("writing to Out failed: the target broke on purpose", operation.Error);
        Assert.True(operation.Counts.Balanced);
    }

    [Fact]
    public async Task Run_EngineFailsOnARecord_ReportsAnEngineBugAndStillAccountsForEveryRecord()
    {
        // Given: a record the transform rejects whose value is nested deeper than the rejects file's JSON writer goes
        // (1000 levels), so the engine's own code throws while it writes the reject line
        object? deep = "bottom";
        for (var level = 0; level < 1_100; level++)
        {
            deep = new List<object?> { deep };
        }

        _harness.Memory.Seed("input", [Some.Record(("n", 2L), ("deep", null)), Some.Record(("n", "two"), ("deep", deep)), Some.Record(("n", 4L), ("deep", null))]);
        var transform = """
            transform:
                  map:
                    half: "{{ record.n / 2 }}"
            """;

        var report = await _harness.RunAsync(Copy(transform: transform));

        // Then: a bug in the engine, told apart from a failure of the connector, and no record lost
        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Equal(StopCause.EngineBug, operation.StoppedBy);
        Assert.StartsWith("unexpected error in the engine while transforming records (InvalidOperationException: ", operation.Error, StringComparison.Ordinal);
        Assert.Equal(new OperationCounts(3, 0, 0, 0, 3), operation.Counts);
    }

    [Fact]
    public async Task Run_EngineFailsOnARecordInAParallelTransform_ReportsAnEngineBugAndAccountsForEveryRecord()
    {
        // Given: 300 records over 4 workers, the 150th of which makes the engine's own code throw (see the test above)
        object? deep = "bottom";
        for (var level = 0; level < 1_100; level++)
        {
            deep = new List<object?> { deep };
        }

        _harness.Memory.Seed("input", Enumerable.Range(1, 300).Select(i => i == 150 ? Some.Record(("n", "two"), ("deep", deep)) : Some.Record(("n", (long)i), ("deep", null))));
        var transform = """
            transform:
                  map:
                    half: "{{ record.n / 2 }}"
            """;

        var report = await _harness.RunAsync(Copy(transform: transform), new RunOptions { TransformWorkers = 4 });

        // Then: the engine's bug stops the operation; the batches before it are written in order, nothing is lost
        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.Equal(StopCause.EngineBug, operation.StoppedBy);
        Assert.True(operation.Counts.Balanced);
        var written = _harness.Memory.Store("output").Select(r => r["half"]).ToList();
        Assert.Equal(Enumerable.Range(1, written.Count).Select(i => i / 2.0), written.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(written.Count < 150, $"wrote {written.Count}: records after the failing one were written");
    }

    [Fact]
    public async Task Run_TransformErrorOnOneRecord_RejectsOnlyThatRecord()
    {
        _harness.Memory.Seed("input", [Some.Record(("n", 2L)), Some.Record(("n", "two")), Some.Record(("n", 4L))]);
        var transform = """
            transform:
                  map:
                    half: "{{ record.n / 2 }}"
            """;

        var report = await _harness.RunAsync(Copy(transform: transform));

        Assert.Equal(new OperationCounts(3, 0, 2, 0, 1), report.Operations[0].Counts);
        var reject = JsonDocument.Parse(File.ReadAllLines(report.Operations[0].RejectsFile!)[0]).RootElement;
        Assert.Equal("transform", reject.GetProperty("stage").GetString());
        Assert.StartsWith("transform failed:", reject.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MemberOfNull_RejectsWithThePathAndTheRecord_SafeNavigationGivesNull()
    {
        var withEmail = Connectors.Record.From([KeyValuePair.Create("email_address", (object?)new Dictionary<string, object?> { ["address"] = "a@b.c" })], "contact 1a2b");
        var withoutEmail = Connectors.Record.From([KeyValuePair.Create("email_address", (object?)null)], "contact 5b1f");
        _harness.Memory.Seed("input", [withEmail, withoutEmail]);
        var transform = """
            transform:
                  map:
                    safe: "{{ record.email_address?.address }}"
                    email: "{{ record.email_address.address }}"
            """;

        var report = await _harness.RunAsync(Copy(transform: transform));

        Assert.Equal(new OperationCounts(2, 0, 1, 0, 1), report.Operations[0].Counts);
        var reject = JsonDocument.Parse(Assert.Single(File.ReadAllLines(report.Operations[0].RejectsFile!))).RootElement;
        Assert.Equal(
            "transform failed: '{{ record.email_address.address }}': record.email_address is null in contact 5b1f; write record.email_address?.address to read it as null",
            reject.GetProperty("reason").GetString());
        Assert.Equal("a@b.c", Assert.Single(_harness.Memory.Store("output"))["safe"]);
    }

    [Fact]
    public async Task Run_DryRun_WritesNothingAndReportsWhatWouldBeWritten()
    {
        _harness.Memory.Seed("input", Some.Records(12, "email"));

        var report = await _harness.RunAsync(Copy(), new RunOptions { DryRun = true });

        Assert.True(report.DryRun);
        Assert.Equal(12, report.Operations[0].Counts.Written);
        Assert.False(_harness.Memory.Stores.ContainsKey("output"));
    }

    [Fact]
    public async Task Run_DryRun_OperationReadingWhatAnUpstreamTargetWouldHaveWritten_IsNotPreviewedAndItsChainGoesOn()
    {
        _harness.Memory.Seed("input", Some.Records(4, "email"));
        _harness.Memory.Seed("output", Some.Records(7, "email")); // today's data: the real run would read 4 more
        var chain = $$"""
            project: demo
            connections:
              - { name: In, type: memory, store: input }
              - { name: Out, type: memory, store: output }
              - { name: Final, type: memory, store: final }
              - { name: Again, type: memory, store: again }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
                on_success: Mirror
              - name: Mirror
                source: { connection: Out, activity: query }
                target: { connection: Final, activity: create }
                on_success: Report
              - name: Report
                source: { connection: Final, activity: query }
                target: { connection: Again, activity: create }
                on_success: Recount
              - name: Recount
                source: { connection: In, activity: query }
                target: { connection: Again, activity: create }
            """;

        var report = await _harness.RunAsync(chain, new RunOptions { DryRun = true });

        Assert.Equal(
            [("Copy", OperationStatus.Succeeded), ("Mirror", OperationStatus.NotPreviewed), ("Report", OperationStatus.NotPreviewed), ("Recount", OperationStatus.Succeeded)],
            report.Operations.Select(o => (o.Name, o.Status)));
        Assert.Equal("not previewed: reads Out, which this dry run did not write", Assert.Single(report.Operations[1].Warnings));
        Assert.Equal("not previewed: reads Final, which this dry run did not write", Assert.Single(report.Operations[2].Warnings));
        Assert.Equal(new OperationCounts(0, 0, 0, 0, 0), report.Operations[1].Counts);
        Assert.Equal(new OperationCounts(4, 0, 4, 0, 0), report.Operations[3].Counts);
        Assert.Equal("not_previewed", PipelineRunner.StatusName(report.Operations[1].Status));
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(7, _harness.Memory.Store("output").Count);
        Assert.False(_harness.Memory.Stores.ContainsKey("final"));
    }

    [Fact]
    public async Task Run_Cancelled_StopsReadingAndAccountsForEverything()
    {
        _harness.Memory.Seed("input", Some.Records(10_000, "email"));
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAfterRecords(cancel, 50);

        var report = await _harness.RunAsync(Copy(source: ", delay_ms: 1"), new RunOptions { Observer = observer }, cancel.Token);

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Cancelled, operation.Status);
        Assert.Equal(130, report.ExitCode);
        Assert.True(operation.Counts.Read < 10_000);
        Assert.True(operation.Counts.Balanced);
    }

    [Fact]
    public async Task Run_Timeout_FailsTheOperation()
    {
        _harness.Memory.Seed("input", Some.Records(1_000, "email"));

        var report = await _harness.RunAsync(Copy(source: ", delay_ms: 5", options: ", timeout: 200ms"));

        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.StartsWith("timed out after", operation.Error, StringComparison.Ordinal);
        Assert.True(operation.Counts.Balanced);
    }

    [Fact]
    public async Task Run_PathologicalRegexPastTheTimeout_RejectsRecordsAtTheRegexLimitAndStopsOnTheClock()
    {
        // Given: every record makes the pattern backtrack for far longer than the 1 s a regular expression may run
        _harness.Memory.Seed("input", Enumerable.Range(1, 40).Select(i => Some.Record(("id", (long)i), ("s", new string('a', 40) + "!"))));
        var transform = """
            transform:
                  map:
                    id: "{{ record.id }}"
                    m: "{{ regex.match record.s '^(a+)+$' }}"
            """;

        // When: the operation may run 2 s
        var report = await _harness.RunAsync(Copy(transform: transform, options: ", timeout: 2s"));

        // Then: a few records hit the per-record limit, the clock stopped the rest (not processed) instead of all 40 running
        var operation = report.Operations[0];
        Assert.Equal(OperationStatus.Failed, operation.Status);
        Assert.StartsWith("timed out after", operation.Error, StringComparison.Ordinal);
        Assert.True(operation.Counts.Balanced);
        var reasons = File.ReadAllLines(operation.RejectsFile!).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()!).ToList();
        Assert.Equal(40, reasons.Count);
        var limited = reasons.Count(r => r.Contains("a regular expression ran longer than 1s", StringComparison.Ordinal));
        Assert.InRange(limited, 1, 10);
        Assert.Equal(40 - limited, reasons.Count(r => r.StartsWith("not processed: the operation stopped (timed out", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_MillionsOfRecords_KeepsRecordsInFlightBounded()
    {
        var sampler = new InFlightSampler();

        var report = await _harness.RunAsync(Copy(source: ", generate: 2000000", target: ", discard: true"), new RunOptions { Observer = sampler });

        Assert.Equal(2_000_000, report.Operations[0].Counts.Written);
        await sampler.DisposeAsync();
        Assert.True(sampler.Max < 5_000, $"at most a few batches should be in flight, saw {sampler.Max}");
    }

    [Fact]
    public async Task Run_RunIdAndTimesComeFromTheClock()
    {
        _harness.Memory.Seed("input", Some.Records(1, "email"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var report = await _harness.RunAsync(Copy(), new RunOptions { TimeProvider = clock });

        Assert.StartsWith("20260102T030405Z-", report.RunId, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow(), report.StartTime);
    }

    public void Dispose() => _harness.Dispose();

    private sealed class CancelAfterRecords(CancellationTokenSource cancel, long records) : IRunObserver
    {
        public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom) =>
            _ = Task.Run(async () =>
            {
                while (stats.Read < records)
                {
                    await Task.Delay(5);
                }

                await cancel.CancelAsync();
            });

        public void OperationFinished(OperationResult result)
        {
        }
    }

    private sealed class InFlightSampler : IRunObserver, IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public long Max { get; private set; }

        public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom) =>
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Max = Math.Max(Max, stats.InFlight);
                    await Task.Delay(1);
                }
            });

        public void OperationFinished(OperationResult result) => _stop.Cancel();

        public async ValueTask DisposeAsync()
        {
            await _loop;
            _stop.Dispose();
        }
    }
}
