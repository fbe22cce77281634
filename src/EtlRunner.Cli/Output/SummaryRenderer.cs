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
    public static void Render(IAnsiConsole console, RunReport report, SecretMasker masker)
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
            var written = report.DryRun ? "would write" : "written";
            foreach (var operation in report.Operations)
            {
                console.MarkupLine($"{Markup.Escape(operation.Name)}: {Status(operation)} in {DurationText.Format(operation.Duration)}");
                console.WriteLine("  " + CountColumns.Equation(operation.Counts, written));
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
                console.MarkupLine($"[yellow]{Markup.Escape(operation.Name)} was cancelled:[/] what it had read but not written is in its rejects file, for etl replay");
            }
            else if (operation.Error is not null)
            {
                console.MarkupLine($"[red]{Markup.Escape(operation.Name)} failed:[/] {Markup.Escape(masker.Apply(operation.Error))}");
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

    private static Table Table(RunReport report)
    {
        var table = CountColumns.AddTo(new Table().Border(TableBorder.Rounded).AddColumn("Operation").AddColumn("Status"), report.DryRun ? "Would write" : "Written")
            .AddColumn(new TableColumn("Duration").RightAligned());
        foreach (var operation in report.Operations)
        {
            table.AddRow([Markup.Escape(operation.Name), Status(operation), .. CountColumns.Cells(operation.Counts), DurationText.Format(operation.Duration)]);
        }

        return table;
    }

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Status(OperationResult operation) => Status(operation.Status) + (operation.FromInterruptedRun ? " (earlier)" : string.Empty);

    private static string Status(OperationStatus status) => status switch
    {
        OperationStatus.Succeeded => "[green]success[/]",
        OperationStatus.Failed => "[red]error[/]",
        _ => "[yellow]cancelled[/]",
    };
}
