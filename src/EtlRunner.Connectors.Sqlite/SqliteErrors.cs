using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>The exceptions of the sqlite connector and the words for SQLite's errors, in one place.</summary>
internal static partial class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;

    public static FileNotFoundException DatabaseNotFound(string path) =>
        new($"The SQLite database {path} does not exist.", path);

    public static TimeoutException DatabaseLocked(string path, int seconds, Exception inner) =>
        new(string.Create(CultureInfo.InvariantCulture, $"database is locked by another process: {path} (waited {seconds} s)"), inner);

    public static InvalidOperationException TableNotFound(string table, string path, bool canCreate) =>
        new($"The table {table} does not exist in {path}" + (canCreate ? " (set create_table: true to create it)." : "."));

    public static InvalidOperationException KeyNotInRecord(string table, string key) =>
        new($"Cannot create the table {table}: the key field '{key}' is not a field of the first record.");

    public static bool IsLock(SqliteException ex) => ex.SqliteErrorCode is Busy or Locked;

    /// <summary>Wraps a lock error in <see cref="DatabaseLocked"/>; anything else gets the database path in its message.</summary>
    public static Exception Wrap(SqliteException ex, SqliteConnectionOptions options) =>
        IsLock(ex)
            ? DatabaseLocked(options.Path, options.BusyTimeoutSeconds, ex)
            : new InvalidOperationException($"SQLite error in {options.Path}: {Describe(ex)}", ex);

    /// <summary>SQLite's own words, without the "SQLite Error 19: '...'." wrapping of Microsoft.Data.Sqlite.</summary>
    public static string Describe(SqliteException ex) =>
        WrappedMessage().Match(ex.Message) is { Success: true } match ? match.Groups[1].Value : ex.Message;

    [GeneratedRegex(@"^SQLite Error \d+: '(.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex WrappedMessage();
}
