namespace EtlRunner.Connectors.Sqlite;

/// <summary>Identifier quoting: every table and column name goes through <see cref="Quote"/>; values are always parameters.</summary>
internal static class SqlText
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string QuoteList(IEnumerable<string> identifiers) => string.Join(", ", identifiers.Select(Quote));
}
