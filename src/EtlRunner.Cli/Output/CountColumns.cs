using EtlRunner.Execution;
using Spectre.Console;

namespace EtlRunner.Cli.Output;

/// <summary>
/// An operation's counts in the one order every view prints them (summary, live view, progress lines, history, JSON):
/// read, filtered, written, created, updated, deleted, skipped, unchanged, rejected, so that read = filtered + written
/// + skipped + rejected reads off any of them, and what the target did with the written (created + updated + deleted)
/// and skipped (unchanged among them) records beside. A dry run's words say what would happen: "would create".
/// </summary>
/// <remarks>
/// The four kinds are shown only where a target said them: a table has their columns when any of its operations has
/// them (a cell the target did not say is <c>-</c>), words and equations name them when the operation has them.
/// </remarks>
internal static class CountColumns
{
    private const int RejectedColumn = 8;

    private static readonly int[] KindColumns = [3, 4, 5, 7];

    private static readonly string[] Names = ["read", "filtered", "written", "created", "updated", "deleted", "skipped", "unchanged", "rejected"];

    private static readonly string[] DryRunNames = ["read", "filtered", "would write", "would create", "would update", "would delete", "would skip", "unchanged", "would reject"];

    /// <summary>The names of the counts in JSON (<c>--output json</c>, <c>etl history --output json</c>), in column order, dry run or not.</summary>
    public static IReadOnlyList<string> Keys => Names;

    /// <summary>The column headers: <c>Read</c>, <c>Filtered</c>, <c>Written</c>, ...; a dry run's <c>Would write</c>, <c>Would create</c>, ...</summary>
    public static string[] Headers(bool dryRun = false, bool kinds = true) =>
        [.. Shown(dryRun ? DryRunNames : Names, kinds).Select(n => char.ToUpperInvariant(n[0]) + n[1..])];

    /// <summary>Whether a table of these counts has the kind columns: when any of them has kinds.</summary>
    public static bool HaveKinds(IEnumerable<OperationCounts> counts) => counts.Any(c => c.Kinds is not null);

    /// <summary>
    /// Adds the count columns, right-aligned, to <paramref name="table"/>; the kind columns when <paramref name="kinds"/>.
    /// A dry run's headers take two lines (<c>Would</c> over <c>create</c>), so its table is as narrow as a run's.
    /// </summary>
    public static Table AddTo(Table table, bool dryRun = false, bool kinds = true)
    {
        foreach (var header in Headers(dryRun, kinds))
        {
            table.AddColumn(new TableColumn(Markup.Escape(header).Replace("Would ", "Would\n", StringComparison.Ordinal)).RightAligned());
        }

        return table;
    }

    /// <summary>The cells of the count columns, as markup: rejected records in yellow, a kind the target did not say as <c>-</c>.</summary>
    public static IEnumerable<string> Cells(OperationCounts c, bool kinds = true) =>
        Shown(Values(c).Select((value, i) => value is not { } n ? "[grey]-[/]" : i == RejectedColumn && n > 0 ? $"[yellow]{SummaryRenderer.N(n)}[/]" : SummaryRenderer.N(n)).ToArray(), kinds);

    /// <summary>The counts in column order; the kinds are null when the target did not say them.</summary>
    public static long?[] Values(OperationCounts c) =>
        [c.Read, c.Filtered, c.Written, c.Kinds?.Created, c.Kinds?.Updated, c.Kinds?.Deleted, c.Skipped, c.Kinds?.Unchanged, c.Rejected];

    /// <summary>
    /// The counts as words, one part per count of the equation, the kinds the target said (those not 0) beside what
    /// they divide: <c>read 16</c>, <c>filtered 4</c>, <c>written 10 (created 8, updated 2)</c>, <c>skipped 1 (unchanged 1)</c>, <c>rejected 1</c>.
    /// </summary>
    public static string[] Words(OperationCounts c, bool dryRun = false)
    {
        var names = dryRun ? DryRunNames : Names;
        var values = Values(c);
        string Word(int i) => $"{names[i]} {SummaryRenderer.N(values[i] ?? 0)}";
        string Divided(int total, params int[] parts) =>
            parts.Where(i => values[i] is > 0).Select(Word).ToList() is { Count: > 0 } said ? $"{Word(total)} ({string.Join(", ", said)})" : Word(total);
        return [Word(0), Word(1), Divided(2, 3, 4, 5), Divided(6, 7), Word(RejectedColumn)];
    }

    private static IEnumerable<T> Shown<T>(IReadOnlyList<T> columns, bool kinds) => kinds ? columns : columns.Where((_, i) => !KindColumns.Contains(i));

    /// <summary>The counts as an equation: <c>read 16 = filtered 4 + written 10 (created 8, updated 2) + skipped 1 (unchanged 1) + rejected 1</c>.</summary>
    public static string Equation(OperationCounts c, bool dryRun = false) =>
        Words(c, dryRun) is var words ? $"{words[0]} = {string.Join(" + ", words[1..])}" : string.Empty;
}
