using EtlRunner.Connectors.Sqlite;
using EtlRunner.Connectors.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Tests.Sqlite;

internal static class SqliteTestHelpers
{
    public static Dictionary<string, object?> Connection(string path) => new() { ["database"] = path };

    public static ISink CreateSink(string path, ActivityKind kind, Dictionary<string, object?> activity, bool preview = false) =>
        new SqliteConnector().CreateSink(Contexts.Activity(kind, Connection(path), activity, preview));

    public static async Task<List<Record>> QueryAsync(string path, Dictionary<string, object?> activity)
    {
        var source = new SqliteConnector().CreateSource(Contexts.Activity(ActivityKind.Query, Connection(path), activity));
        await using (source)
        {
            return await Records.ReadAllAsync(source, new RecordingSourceContext());
        }
    }

    /// <summary>Runs SQL directly on the database file (unpooled, closed afterwards).</summary>
    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<object?[]> Rows(string path, string sql) => EtlRunner.Testing.SqliteFile.Rows(path, sql);

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
