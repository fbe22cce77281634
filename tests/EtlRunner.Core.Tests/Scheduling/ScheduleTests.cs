using EtlRunner.Model;
using EtlRunner.Scheduling;
using EtlRunner.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EtlRunner.Core.Tests.Scheduling;

public sealed class ScheduleTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private static string Pipeline(string schedules) => $$"""
        project: demo
        connections:
          - { name: In, type: memory, store: input }
          - { name: Out, type: memory, store: output }
        operations:
          - name: Copy
            source: { connection: In, activity: query }
            target: { connection: Out, activity: create }
        schedules:
        {{schedules}}
        """;

    private List<string> Problems(string schedules) => [.. _harness.Problems(Pipeline(schedules)).Select(d => $"{d.Location.Line}:{d.Location.Column}: {d.Message}")];

    [Theory]
    [InlineData("15 * * * *", "0 15 * * * ?")]
    [InlineData("*/2 * * * * *", "*/2 * * * * ?")]
    [InlineData("0 9 * * 0", "0 0 9 ? * SUN")]
    [InlineData("0 9 * * 7", "0 0 9 ? * SUN")]
    [InlineData("30 6 1 * *", "0 30 6 1 * ?")]
    [InlineData("5 0 9 * * MON-FRI", "5 0 9 ? * MON-FRI")]
    public void TryConvert_CrontabFields_GiveQuartzsFormWithOneDayFieldOpen(string cron, string quartz)
    {
        Assert.True(CronSchedule.TryConvert(cron, out var converted, out var problem), problem);

        Assert.Equal(quartz, converted);
    }

    [Fact]
    public void Load_Schedule_KeepsEveryKeyAndDefaults()
    {
        var pipeline = _harness.LoadValid(Pipeline("""
              - { name: hourly, cron: "15 * * * *", timezone: Europe/Paris, operation: Copy, overlap: queue, misfire: skip, enabled: false }
              - { name: plain, cron: "0 3 * * *" }
            """));

        var hourly = pipeline.Schedules[0];
        Assert.Equal(("hourly", "15 * * * *", "Europe/Paris", "Copy"), (hourly.Name.Value, hourly.Cron.Value, hourly.TimeZoneId, hourly.Operation?.Value));
        Assert.Equal((ScheduleOverlap.Queue, ScheduleMisfire.Skip, false), (hourly.Overlap, hourly.Misfire, hourly.Enabled));
        var plain = pipeline.Schedules[1];
        Assert.Equal(("UTC", null, ScheduleOverlap.Skip, ScheduleMisfire.RunOnce, true), (plain.TimeZoneId, plain.Operation, plain.Overlap, plain.Misfire, plain.Enabled));
    }

    [Fact]
    public void Validate_ScheduleProblems_AreEachReportedAtTheirValue()
    {
        var problems = Problems("""
              - name: both-days
                cron: "0 9 1 * 1"
              - name: seven
                cron: "0 0 9 * * * 2027"
              - name: minute
                cron: "61 * * * *"
              - name: zone
                cron: "0 3 * * *"
                timezone: Europe/Pariss
              - name: op
                cron: "0 3 * * *"
                operation: Cpy
              - name: modes
                cron: "0 3 * * *"
                overlap: wait
                misfire: always
              - name: op
                cron: "0 4 * * *"
                frequency: daily
            """);

        Assert.Contains("11:12: schedule 'both-days': cron '0 9 1 * 1' restricts both the day of the month (1) and the day of the week (1); crontab runs on either, which Quartz cannot express: put '*' in one of them, or use two schedules", problems);
        Assert.Contains("13:12: schedule 'seven': cron '0 0 9 * * * 2027' has 7 field(s); give crontab's 5 (minute hour day-of-month month day-of-week) or 6 with seconds first", problems);
        Assert.Contains(problems, p => p.StartsWith("15:12: schedule 'minute': cron '61 * * * *' is not valid: ", StringComparison.Ordinal));
        Assert.Contains("18:15: schedule 'zone': unknown time zone 'Europe/Pariss'; give an IANA name such as UTC, Europe/Paris or America/New_York", problems);
        Assert.Contains("21:16: schedule 'op': no operation named 'Cpy' (did you mean 'Copy'?); declared operations: Copy", problems);
        Assert.Contains("24:14: 'overlap' of schedule 'modes' must be skip or queue, not 'wait'", problems);
        Assert.Contains("25:14: 'misfire' of schedule 'modes' must be run_once or skip, not 'always'", problems);
        Assert.Contains("26:11: duplicate schedule name 'op' (first declared at line 19)", problems);
        Assert.Contains(problems, p => p.StartsWith("28:5: unknown key 'frequency' in schedule 'op'", StringComparison.Ordinal));
    }

    [Fact]
    public void For_ScheduleInAZone_GivesTheNextThreeFireTimesWithTheZonesOffsetFromTheClock()
    {
        var pipeline = _harness.LoadValid(Pipeline("""
              - { name: paris, cron: "15 9 * * *", timezone: Europe/Paris }
              - { name: every-2s, cron: "*/2 * * * * *" }
            """));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero)); // Paris moves to summer time on the 29th

        var views = ScheduleView.For(pipeline, clock);

        Assert.Equal(["2026-03-29T09:15:00+02:00", "2026-03-30T09:15:00+02:00", "2026-03-31T09:15:00+02:00"], views[0].NextFireTimes.Select(ScheduleView.Format));
        Assert.Equal(["2026-03-28T12:00:02+00:00", "2026-03-28T12:00:04+00:00", "2026-03-28T12:00:06+00:00"], views[1].NextFireTimes.Select(ScheduleView.Format));
    }

    public void Dispose() => _harness.Dispose();
}
