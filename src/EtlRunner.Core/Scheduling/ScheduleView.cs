using EtlRunner.Model;

namespace EtlRunner.Scheduling;

/// <summary>A schedule as <c>etl plan</c> shows it: what it runs, and its next fire times in its zone.</summary>
public sealed record ScheduleView(
    string Name,
    string Cron,
    string? QuartzCron,
    string TimeZone,
    string? Operation,
    ScheduleOverlap Overlap,
    ScheduleMisfire Misfire,
    bool Enabled,
    IReadOnlyList<DateTimeOffset> NextFireTimes)
{
    public const int FireTimesShown = 3;

    /// <summary>ISO 8601 with the zone's offset: <c>2026-12-02T09:15:00+01:00</c>.</summary>
    public static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every schedule of the pipeline, with its next fire times after the clock's now (none when its cron or zone is invalid).</summary>
    public static IReadOnlyList<ScheduleView> For(PipelineDefinition pipeline, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        return
        [
            .. pipeline.Schedules.Select(s =>
            {
                var expression = CronSchedule.Expression(s);
                return new ScheduleView(
                    s.Name.Value,
                    s.Cron.Value,
                    expression?.CronExpressionString,
                    s.TimeZoneId,
                    s.Operation?.Value,
                    s.Overlap,
                    s.Misfire,
                    s.Enabled,
                    expression is null ? [] : CronSchedule.NextFireTimes(expression, now, FireTimesShown));
            }),
        ];
    }
}
