using System.Globalization;
using System.Net;
using System.Text;
using EtlRunner.Cli.Output;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.Scheduling;

namespace EtlRunner.Cli.Agent;

/// <summary>The <see cref="AgentStatus"/> as <c>etl status</c> prints it and as the status page shows it (plain HTML, no script, refreshed every 3 s).</summary>
internal static class StatusText
{
    /// <summary>The sections and their lines, each value masked; the page and the text print the same.</summary>
    private static IEnumerable<(string Title, List<string> Lines)> Sections(AgentStatus status, SecretMasker masker)
    {
        string M(string text) => masker.Apply(text);
        yield return ("Agents", [.. status.Agents.Select(a => M(
            $"{a.Name}{(a.Group is null ? string.Empty : $" (group {a.Group})")}: {(a.Alive ? "alive" : "not running")}, last check-in {ScheduleFire.Format(a.LastCheckIn)}; " +
            (a.Running.Count == 0 ? "running nothing" : "running " + string.Join(", ", a.Running)) +
            (a.Skipped.Count == 0 ? string.Empty : "; SKIPS " + string.Join("; ", a.Skipped))))]);
        yield return ("Schedules", [.. status.Schedules.Select(s => M(
            $"{s.Pipeline} {s.Name} ({s.TimeZone}, {(s.Enabled ? "enabled" : "disabled")}): next {Time(s.NextFire)}, previous {Time(s.PreviousFire)}, last run {s.LastStatus ?? "none"}" +
            (s.PendingSince is { } since ? string.Create(CultureInfo.InvariantCulture, $"; PENDING: fire {Time(since)} waiting {s.PendingSeconds:0.0} s for {(s.Version is null ? "the agent" : $"an agent holding version {s.Version}")}") : string.Empty)))]);
        yield return ("Running", [.. status.Running.Select(r => M(
            $"{r.Agent}: {r.Pipeline} {r.Schedule} fire {ScheduleFire.Format(r.FireTime)}, operation {r.Operation ?? "(starting)"}: {string.Join(", ", CountColumns.Words(r.Counts))}" +
            (r.LeaseToken is { } token ? $"; lease token {token}, attempt {r.Attempt}" : string.Empty)))]);
        yield return ("Last runs", [.. status.Runs.Select(r => M(
            $"{r.RunId} {r.Pipeline}{(r.Schedule is null ? string.Empty : $" {r.Schedule} fire {ScheduleFire.Format(r.FireTime!.Value)}")}: {r.Status} in {DurationText.Format(r.End - r.Start)}: {string.Join(", ", CountColumns.Words(r.Counts))}" +
            (r.Error is null ? string.Empty : $"; {r.Error}")))]);
    }

    public static void Write(TextWriter output, AgentStatus status, SecretMasker masker)
    {
        foreach (var (title, lines) in Sections(status, masker))
        {
            output.WriteLine(title);
            foreach (var line in lines.DefaultIfEmpty("(none)"))
            {
                output.WriteLine("  " + line);
            }
        }
    }

    public static string Html(AgentStatus status, SecretMasker masker)
    {
        var page = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
            <title>EtlRunner agents</title></head><body>
            """);
        page.Append("<h1>EtlRunner agents</h1><p>As of ").Append(ScheduleFire.Format(status.At)).Append(" (refreshed every 3 s; <a href=\"status.json\">status.json</a>)</p>\n");
        foreach (var (title, lines) in Sections(status, masker))
        {
            page.Append("<h2>").Append(title).Append("</h2><ul>\n");
            foreach (var line in lines.DefaultIfEmpty("(none)"))
            {
                page.Append("<li>").Append(WebUtility.HtmlEncode(line)).Append("</li>\n");
            }

            page.Append("</ul>\n");
        }

        return page.Append("</body></html>\n").ToString();
    }

    private static string Time(DateTimeOffset? time) => time is { } t ? ScheduleView.Format(t) : "none";
}
