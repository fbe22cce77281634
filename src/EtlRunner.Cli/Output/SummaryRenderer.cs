using System.Globalization;
using EtlRunner.Connectors;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EtlRunner.Cli.Output;

/// <summary>
/// The run summary: one row per operation with status and exact counts, as a table, or as two lines per operation when
/// the table would not fit the width without breaking words.
/// </summary>
internal static class SummaryRenderer
{
    /// <param name="sources">How far each source had come, for what a cancelled operation never read; null: unknown.</param>
    public static void Render(IAnsiConsole console, RunReport report, SecretMasker masker, SourceWatcher? sources = null)
    {
        var title = $"{Markup.Escape(report.Project)}: {Markup.Escape(report.DryRun ? "dry run: nothing was written" : $"run {report.RunId}")}";
        var table = Table(report).Title(title);
        var width = console.Profile.Width;
        if (((IRenderable)table).Measure(RenderOptions.Create(console), width).Max <= width)
        {
            console.Write(table);
        }
        else
        {
            // Too narrow for the table without breaking words: one operation per line, its counts on the next.
            console.MarkupLine($"[bold]{title}[/]");
            foreach (var operation in report.Operations)
            {
                console.MarkupLine($"{Markup.Escape(operation.Name)}: {Status(operation)} in {DurationText.Format(operation.Duration)}");
                console.WriteLine("  " + CountColumns.Equation(operation.Counts, report.DryRun));
            }
        }

        if (report.Resumed is { } resumed)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(resumed.Describe())}:[/] operations marked (earlier) finished in the interrupted run and were not run again");
        }

        if (report.Abandoned is { } abandoned)
        {
            console.MarkupLine($"[yellow]abandoned the interrupted run {Markup.Escape(abandoned)} (--fresh):[/] every operation ran again");
        }

        foreach (var operation in report.Operations)
        {
            if (operation.LedgerMissing)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(operation.Name)}: the write ledger was missing[/] (no run of this pipeline in the state database) and its target already held data: each record was checked against the target before writing");
            }

            if (operation.Status == OperationStatus.Cancelled)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(operation.Name)} was cancelled:[/] {Markup.Escape(Cancelled(operation, sources?.Unread(operation)))}");
            }
            else if (operation.Error is not null)
            {
                console.MarkupLine($"[red]{Markup.Escape(operation.Name)} failed:[/] {Markup.Escape(masker.Apply(operation.Error))}");
            }

            if (operation.PreviewRequests is { } requests)
            {
                console.MarkupLine($"{Markup.Escape(operation.Name)}: the real run would send {N(requests)} request(s) to {Markup.Escape(operation.Target ?? "its target")}");
            }

            foreach (var warning in operation.Warnings)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(operation.Name)}: warning:[/] {Markup.Escape(masker.Apply(warning))}");
            }

            if (operation.RejectsFile is not null)
            {
                console.MarkupLine($"{Markup.Escape(operation.Name)}: {N(operation.Counts.Rejected)} rejected record(s) in {Markup.Escape(operation.RejectsFile)}");
            }
        }
    }

    /// <summary>What a cancelled operation left undone, and what brings it back: a run for the unread rest, replay for its rejects.</summary>
    private static string Cancelled(OperationResult operation, (double Share, long Records)? unread)
    {
        var rest = unread switch
        {
            { Share: 0 } => "its source was read to the end",
            { } n => string.Create(CultureInfo.InvariantCulture, $"about {N(n.Records)} record(s) of its source ({n.Share * 100:0.#}%) were never read; run the pipeline again for them (it resumes: the ledger keeps what was written from being written again)"),
            null => "the rest of its source was not read; run the pipeline again for it (it resumes: the ledger keeps what was written from being written again)",
        };
        var rejected = operation.Counts.Rejected;
        var replay = rejected > 0
            ? $"only the {N(rejected)} record(s) in its rejects file need etl replay"
            : "no record needs etl replay";
        return $"{rest}; {replay}";
    }

    private static Table Table(RunReport report)
    {
        var kinds = CountColumns.HaveKinds(report.Operations.Select(o => o.Counts));
        var table = CountColumns.AddTo(new Table().Border(TableBorder.Rounded).AddColumn("Operation").AddColumn("Status"), report.DryRun, kinds)
            .AddColumn(new TableColumn("Duration").RightAligned());
        foreach (var operation in report.Operations)
        {
            table.AddRow([Markup.Escape(operation.Name), Status(operation), .. CountColumns.Cells(operation.Counts, kinds), DurationText.Format(operation.Duration)]);
        }

        return table;
    }

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Status(OperationResult operation) => Status(operation.Status) + (operation.FromInterruptedRun ? " (earlier)" : string.Empty);

    private static string Status(OperationStatus status) => status switch
    {
        OperationStatus.Succeeded => "[green]success[/]",
        OperationStatus.Failed => "[red]error[/]",
        OperationStatus.NotPreviewed => "[yellow]not previewed[/]",
        _ => "[yellow]cancelled[/]",
    };
}
