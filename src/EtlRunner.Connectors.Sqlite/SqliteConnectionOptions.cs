namespace EtlRunner.Connectors.Sqlite;

/// <summary>The fields of a sqlite connection, read from its settings.</summary>
internal sealed record SqliteConnectionOptions(string Path, int BusyTimeoutSeconds)
{
    public const int DefaultBusyTimeoutSeconds = 5;

    public static SqliteConnectionOptions From(Settings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new SqliteConnectionOptions(
            System.IO.Path.GetFullPath(connection.GetRequiredString(SqliteParameters.Database)),
            Math.Max(1, connection.GetInt32(SqliteParameters.BusyTimeout, DefaultBusyTimeoutSeconds)));
    }
}
