using System.Diagnostics;
using EtlRunner.Connectors.ConstantContact.Tests.Support;
using Xunit.Abstractions;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

/// <summary>Runs only when ETL_CC_MEASURE=1: request counts and wall time against the sandbox at the real 4 requests/s.</summary>
internal sealed class MeasureFactAttribute : FactAttribute
{
    public MeasureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ETL_CC_MEASURE") != "1")
        {
            Skip = "measurement: set ETL_CC_MEASURE=1 to run (minutes long, rate limited at 4/s)";
        }
    }
}

public sealed class MeasurementTests(ITestOutputHelper output)
{
    private static readonly string[] ListA = [SeedData.ListA.ToString()];

    [MeasureFact]
    public async Task Measure_Query10000()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(10_000), rateLimit: true, tuning: ConstantContactTuning.Default);
        var watch = Stopwatch.StartNew();
        var records = await harness.QueryAsync();
        Report("query 10,000 (limit 500)", watch, harness);
        Assert.Equal(10_000, records.Count);
    }

    [MeasureFact]
    public async Task Measure_CreateSingle200()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData(), rateLimit: true, tuning: ConstantContactTuning.Default);
        var watch = Stopwatch.StartNew();
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(200));
        Report("create 200 single", watch, harness);
        Assert.Equal(200, outcome.Written);
    }

    [MeasureFact]
    public async Task Measure_CreateBulk10000()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData(), rateLimit: true, tuning: ConstantContactTuning.Default, activityDuration: TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(10_000), Params(("mode", "bulk"), ("list_ids", ListA)));
        Report("create 10,000 bulk (activity takes 5 s)", watch, harness);
        Assert.Equal(10_000, outcome.Written);
        Assert.Equal(10_000, harness.Sandbox.Store.Contacts().Count);
    }

    [MeasureFact]
    public async Task Measure_DeleteBulkByEmail10000()
    {
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(10_000), rateLimit: true, tuning: ConstantContactTuning.Default);
        var records = Enumerable.Range(1, 10_000).Select(i => Of(("email_address", $"person{i}@example.com"))).ToList();
        var watch = Stopwatch.StartNew();
        var outcome = await harness.WriteAsync(ActivityKind.Delete, records, Params(("mode", "bulk")));
        Report("delete 10,000 bulk by email", watch, harness);
        Assert.Equal(10_000, outcome.Written);
    }

    private void Report(string what, Stopwatch watch, SandboxHarness harness)
    {
        output.WriteLine($"{what}: {watch.Elapsed.TotalSeconds:0.0} s, {harness.Sandbox.Stats.Total} requests, 429s: {harness.Sandbox.Stats.CountStatus(429)}");
        output.WriteLine(harness.Sandbox.Stats.Format());
    }
}
