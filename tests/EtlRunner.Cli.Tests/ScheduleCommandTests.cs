using System.Text.Json;
using EtlRunner.Diagnostics;
using EtlRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary><c>etl validate</c> and <c>etl plan</c> on a pipeline's <c>schedules:</c>.</summary>
public sealed class ScheduleCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static string Pipeline(string schedules) => $"""
        project: scheduled
        connections:
          - {"{"} name: In, type: csv, path: in.csv {"}"}
          - {"{"} name: Out, type: csv, path: out.csv {"}"}
        operations:
          - name: Copy
            source: {"{"} connection: In, activity: query {"}"}
            target: {"{"} connection: Out, activity: create {"}"}
        schedules:
        {schedules}
        """;

    [Fact]
    public async Task Validate_ScheduleWithABadCronAndZone_ExitsTwoNamingFileLineAndColumn()
    {
        var file = _folder.Write("p.yaml", Pipeline("""
              - { name: nightly, cron: "0 3 * *", timezone: Mars/Olympus }
            """));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.True(result.ExitCode == ExitCodes.InvalidPipeline, result.ToString());
        Assert.Contains($"{file}:10:29: schedule 'nightly': cron '0 3 * *' has 4 field(s)", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{file}:10:49: schedule 'nightly': unknown time zone 'Mars/Olympus'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_Schedules_PrintsTheNextThreeFireTimesInTheirZoneFromTheClock()
    {
        var file = _folder.Write("p.yaml", Pipeline("""
              - { name: hourly-export, cron: "15 * * * *", timezone: Europe/Paris, operation: Copy, overlap: queue }
              - { name: ticks, cron: "*/2 * * * * *", enabled: false }
            """));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 23, 30, 0, TimeSpan.Zero));

        var text = await Cli.RunAsync(["plan", file], clock: clock);
        var json = await Cli.RunAsync(["plan", file, "--output", "json"], clock: clock);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("hourly-export: cron '15 * * * *' in Europe/Paris, operation Copy and its chain; overlap queue, misfire run_once", text.Out, StringComparison.Ordinal);
        Assert.Contains("next 2026-12-03T01:15:00+01:00, 2026-12-03T02:15:00+01:00, 2026-12-03T03:15:00+01:00", text.Out, StringComparison.Ordinal);
        Assert.Contains("ticks (disabled): cron '*/2 * * * * *' in UTC, every root chain; overlap skip, misfire run_once", text.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var schedule = document.RootElement.GetProperty("schedules")[0];
        Assert.Equal("0 15 * * * ?", schedule.GetProperty("quartz_cron").GetString());
        Assert.Equal(["2026-12-03T01:15:00+01:00", "2026-12-03T02:15:00+01:00", "2026-12-03T03:15:00+01:00"], schedule.GetProperty("next_fire_times").EnumerateArray().Select(t => t.GetString()));
    }

    public void Dispose() => _folder.Dispose();
}
