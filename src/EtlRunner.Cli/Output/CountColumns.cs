using EtlRunner.Execution;
using Spectre.Console;

namespace EtlRunner.Cli.Output;

/// <summary>
/// An operation's counts in the one order every view prints them (summary, live view, progress lines, history, JSON):
/// read, filtered, written, skipped, rejected, so that read = filtered + written + skipped + rejected reads off any of them.
/// </summary>
internal static class CountColumns
{
    /// <summary>The column headers, "Written" as <paramref name="written"/> (a dry run's "Would write").</summary>
    public static string[] Headers(string written = "Written") => ["Read", "Filtered", written, "Skipped", "Rejected"];

    /// <summary>Adds the count columns, right-aligned, to <paramref name="table"/>.</summary>
    public static Table AddTo(Table table, string written = "Written")
    {
        foreach (var header in Headers(written))
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        return table;
    }

    /// <summary>The cells of the count columns, as markup: rejected records in yellow.</summary>
    public static IEnumerable<string> Cells(OperationCounts c) =>
        Values(c).Select((value, i) => i == 4 && value > 0 ? $"[yellow]{SummaryRenderer.N(value)}[/]" : SummaryRenderer.N(value));

    public static long[] Values(OperationCounts c) => [c.Read, c.Filtered, c.Written, c.Skipped, c.Rejected];

    /// <summary>The counts as words: <c>read 16</c>, <c>filtered 4</c>, <c>written 10</c>, <c>skipped 0</c>, <c>rejected 2</c>.</summary>
    public static string[] Words(OperationCounts c, string written = "written") =>
        [.. Headers(written).Zip(Values(c), (name, value) => $"{name.ToLowerInvariant()} {SummaryRenderer.N(value)}")];

    /// <summary>The counts as an equation: <c>read 16 = filtered 4 + written 10 + skipped 0 + rejected 2</c>.</summary>
    public static string Equation(OperationCounts c, string written = "written") =>
        Words(c, written) is var words ? $"{words[0]} = {string.Join(" + ", words[1..])}" : string.Empty;
}
