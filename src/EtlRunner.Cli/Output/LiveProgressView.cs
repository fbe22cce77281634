using System.Globalization;
using EtlRunner.Connectors;
using EtlRunner.Execution;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EtlRunner.Cli.Output;

/// <summary>One row of the live display: an operation, its status (null while it runs) and its progress.</summary>
internal sealed record LiveProgressRow(string Operation, OperationStatus? Status, ProgressSnapshot Progress);

/// <summary>
/// Draws the live display: per operation the counts of <see cref="CountColumns"/> (as the target reports them done), the rate, the elapsed
/// time, and a bar with percentage and time left (or what it waits for). A table when the terminal is wide enough,
/// otherwise the same figures as a few lines per operation.
/// </summary>
internal static class LiveProgressView
{
    private const int BarWidth = 20;

    // Fixed, so the table keeps its shape when a long waiting reason comes and goes (it wraps instead).
    private const int ProgressWidth = BarWidth + 18;

    /// <param name="dryRun">A dry run's words: "would write", "would create", ...</param>
    public static IRenderable Build(IReadOnlyList<LiveProgressRow> rows, IAnsiConsole console, bool dryRun = false)
    {
        var unicode = console.Profile.Capabilities.Unicode;
        if (rows.Count == 0)
        {
            return new Markup("[grey]starting...[/]");
        }

        var table = Table(rows, unicode, dryRun);
        var width = console.Profile.Width;
        return ((IRenderable)table).Measure(RenderOptions.Create(console), width).Max <= width ? table : List(rows, unicode, dryRun);
    }

    public static Table Table(IReadOnlyList<LiveProgressRow> rows, bool unicode, bool dryRun = false)
    {
        var kinds = CountColumns.HaveKinds(rows.Select(r => r.Progress.Counts));
        var table = CountColumns.AddTo(new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Operation").NoWrap()), dryRun, kinds)
            .AddColumn(new TableColumn("Rate").RightAligned())
            .AddColumn(new TableColumn("Elapsed").RightAligned())
            .AddColumn(new TableColumn("Progress").Width(ProgressWidth));
        foreach (var row in rows)
        {
            var p = row.Progress;
            table.AddRow([
                new Markup($"{Symbol(row, unicode)} {Markup.Escape(row.Operation)}"),
                .. CountColumns.Cells(p.Counts, kinds).Select(cell => new Markup(cell)),
                new Text(Rate(p)),
                new Text(DurationText.Format(p.Elapsed)),
                new Markup(string.Join('\n', new[] { Headline(row, unicode), Waiting(row) }.OfType<string>())),
            ]);
        }

        return table;
    }

    /// <summary>For narrow terminals: the counts of each operation on one line, then how far it is, then what it waits for.</summary>
    public static Rows List(IReadOnlyList<LiveProgressRow> rows, bool unicode, bool dryRun = false)
    {
        var lines = new List<IRenderable>();
        foreach (var row in rows)
        {
            var p = row.Progress;
            lines.Add(new Markup($"{Symbol(row, unicode)} [bold]{Markup.Escape(row.Operation)}[/]: {string.Join(", ", CountColumns.Words(p.Counts, dryRun))}"));
            var headline = Headline(row, unicode) is { } text ? text + " · " : string.Empty;
            lines.Add(new Markup($"  {headline}{Rate(p)} · {DurationText.Format(p.Elapsed)}"));
            if (Waiting(row) is { } waiting)
            {
                lines.Add(new Markup("  " + waiting));
            }
        }

        return new Rows(lines);
    }

    private static string Symbol(LiveProgressRow row, bool unicode) => row.Status switch
    {
        null when row.Progress.Waiting is not null => "[yellow]~[/]",
        null => unicode ? "[blue]▶[/]" : "[blue]>[/]",
        OperationStatus.Succeeded => unicode ? "[green]✓[/]" : "[green]+[/]",
        OperationStatus.Failed => unicode ? "[red]✗[/]" : "[red]x[/]",
        _ => "[yellow]-[/]",
    };

    /// <summary>How an ended operation ended; for a running one its bar, percentage and time left, or that it runs.</summary>
    private static string? Headline(LiveProgressRow row, bool unicode)
    {
        if (row.Status is { } status)
        {
            var name = PipelineRunner.StatusName(status);
            return status switch
            {
                OperationStatus.Succeeded => $"[green]{name}[/]",
                OperationStatus.Failed => $"[red]{name}[/]",
                _ => $"[yellow]{name}[/]",
            };
        }

        var p = row.Progress;
        if (p.Fraction is { } fraction)
        {
            var percent = (fraction * 100).ToString("0", CultureInfo.InvariantCulture);
            var left = p.Remaining is { } remaining ? $" ~{DurationText.Format(remaining)} left" : string.Empty;
            return $"{Bar(fraction, unicode)} {percent,3}%{left}";
        }

        return p.Waiting is null ? "[grey]running[/]" : null;
    }

    /// <summary>What a running operation waits for (rate limit, retry backoff), or null.</summary>
    private static string? Waiting(LiveProgressRow row) =>
        row.Status is null && row.Progress.Waiting is { } waiting ? $"[yellow]waiting: {Markup.Escape(waiting)}[/]" : null;

    private static string Bar(double fraction, bool unicode)
    {
        var done = (int)Math.Round(fraction * BarWidth);
        var (full, empty) = unicode ? ('━', '─') : ('#', '.');
        return $"[green]{new string(full, done)}[/][grey]{new string(empty, BarWidth - done)}[/]";
    }

    private static string Rate(ProgressSnapshot progress) => N((long)progress.RecordsPerSecond) + "/s";

    private static string N(long value) => SummaryRenderer.N(value);
}
