namespace EtlRunner.Connectors.Sqlite;

/// <summary>The values of <c>on_conflict</c>.</summary>
internal static class SqliteConflict
{
    public const string Fail = "fail";
    public const string Ignore = "ignore";
    public const string Replace = "replace";
    public const string Upsert = "upsert";

    public static IReadOnlyList<string> All { get; } = [Fail, Ignore, Replace, Upsert];
}
