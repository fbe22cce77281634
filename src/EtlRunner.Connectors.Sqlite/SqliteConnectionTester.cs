using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The Test button of a sqlite connection: the database opens and answers a query. A missing file is
/// fine for a target (it will be created, when its folder is writable) but fails a query; nothing is
/// created by the test. Without an activity (a plain <see cref="ConnectionContext"/>) a missing file
/// counts as fine when it can be created.
/// </summary>
internal static class SqliteConnectionTester
{
    public static ConnectionTestResult Test(ConnectionContext context)
    {
        var options = SqliteConnectionOptions.From(context.Connection);
        var path = options.Path;
        var queryOnly = context is ActivityContext { Kind: var kind } && kind == ActivityKind.Query;
        if (File.Exists(path))
        {
            return TestExisting(options);
        }

        if (queryOnly)
        {
            return ConnectionTestResult.Failed($"cannot open {path}: the database file does not exist");
        }

        return FileLocation.CheckCreatable(path).Problem is { } problem
            ? ConnectionTestResult.Failed(problem)
            : ConnectionTestResult.Ok($"will be created at {path}");
    }

    private static ConnectionTestResult TestExisting(SqliteConnectionOptions options)
    {
        var path = options.Path;
        try
        {
            using var connection = SqliteDatabase.OpenForRead(options);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'table'";
            var tables = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            return ConnectionTestResult.Ok(string.Create(CultureInfo.InvariantCulture,
                $"opened: {path} ({new FileInfo(path).Length:N0} bytes, {tables} tables)"));
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or TimeoutException or IOException)
        {
            return ConnectionTestResult.Failed($"cannot open {path}: {ex.Message}");
        }
    }
}
