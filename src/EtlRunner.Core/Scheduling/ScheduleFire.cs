using System.Globalization;

namespace EtlRunner.Scheduling;

/// <summary>
/// The fire of a schedule a run was started for: <c>system.schedule.name</c> and <c>system.schedule.fire_time</c>,
/// recorded with the run in history.
/// </summary>
public sealed record ScheduleFire(string Name, DateTimeOffset FireTime)
{
    /// <summary>The fire time in UTC, to the second (cron fire times are whole seconds): the same key however it reached the agent.</summary>
    public DateTimeOffset FireTimeUtc { get; } = Normalise(FireTime);

    /// <summary>ISO 8601 in UTC: <c>2026-12-02T08:15:00Z</c>.</summary>
    public string FireTimeText => Format(FireTimeUtc);

    public static string Format(DateTimeOffset time) => Normalise(time).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses what <see cref="Format"/> wrote.</summary>
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static DateTimeOffset Normalise(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
