using System.Diagnostics.CodeAnalysis;
using EtlRunner.Model;
using Quartz;

namespace EtlRunner.Scheduling;

/// <summary>
/// A schedule's <c>cron</c> as Quartz reads it. The file takes crontab's 5 fields (or 6 with seconds first), where
/// <c>*</c> may stand in both day fields; Quartz wants seconds first and <c>?</c> in one day field, and numbers the
/// days of the week from 1 (Sunday) where crontab numbers them from 0. Quartz's own crontab reader does the day
/// mapping; the seconds field is put in front of what it gives.
/// </summary>
public static class CronSchedule
{
    private static readonly char[] Blanks = [' ', '\t'];

    /// <summary>The Quartz form of <paramref name="cron"/>, or why it is refused.</summary>
    public static bool TryConvert(string cron, [NotNullWhen(true)] out string? quartz, [NotNullWhen(false)] out string? problem)
    {
        quartz = null;
        var fields = cron.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            problem = $"cron '{cron}' has {fields.Length} field(s); give crontab's 5 (minute hour day-of-month month day-of-week) or 6 with seconds first";
            return false;
        }

        var seconds = fields.Length == 6 ? fields[0] : "0";
        var crontab = fields[^5..];
        if (crontab[2] is not ("*" or "?") && crontab[4] is not ("*" or "?"))
        {
            problem = $"cron '{cron}' restricts both the day of the month ({crontab[2]}) and the day of the week ({crontab[4]}); crontab runs on either, which Quartz cannot express: put '*' in one of them, or use two schedules";
            return false;
        }

        try
        {
            var unix = CronExpression.Parse(string.Join(' ', crontab), CronFormat.Unix).CronExpressionString;
            var text = seconds + unix[unix.IndexOf(' ', StringComparison.Ordinal)..];
            quartz = CronExpression.Parse(text, CronFormat.Quartz).CronExpressionString;
            problem = null;
            return true;
        }
        catch (FormatException ex)
        {
            problem = $"cron '{cron}' is not valid: {ex.Message}";
            return false;
        }
    }

    /// <summary>An IANA time zone (<c>Europe/Paris</c>, <c>UTC</c>).</summary>
    public static bool TryFindZone(string id, [NotNullWhen(true)] out TimeZoneInfo? zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);

    /// <summary>The schedule's expression in its zone; null when its cron or zone is invalid (validation reports why).</summary>
    public static CronExpression? Expression(ScheduleDefinition schedule) =>
        TryConvert(schedule.Cron.Value, out var quartz, out _) && TryFindZone(schedule.TimeZoneId, out var zone)
            ? CronExpression.Parse(quartz, CronFormat.Quartz).WithTimeZone(zone)
            : null;

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="after"/>, each with its zone's offset at that time.</summary>
    public static IReadOnlyList<DateTimeOffset> NextFireTimes(CronExpression expression, DateTimeOffset after, int count)
    {
        var times = new List<DateTimeOffset>(count);
        var from = after;
        while (times.Count < count && expression.GetNextValidTimeAfter(from) is { } next)
        {
            times.Add(TimeZoneInfo.ConvertTime(next, expression.TimeZone));
            from = next;
        }

        return times;
    }
}
