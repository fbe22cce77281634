namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The <c>sqlite</c> connector: <c>query</c> reads a SELECT or a table; <c>create</c>, <c>update</c>
/// and <c>delete</c> write a table. Register it with <see cref="SqliteConnectorRegistryExtensions.AddSqlite"/>.
/// </summary>
public sealed class SqliteConnector : IConnector
{
    public const string TypeName = "sqlite";

    public ConnectorDescriptor Descriptor { get; } = new(
        TypeName,
        "A SQLite database file: query it with SQL or read a table; insert, upsert, update and delete rows.",
        SqliteParameters.Connection,
        SqliteParameters.Activities);

    public IEnumerable<SettingProblem> Validate(ActivityKind kind, Settings connection, Settings activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return kind == ActivityKind.Query
            ? SqliteQueryOptions.Problem(activity) is { } problem ? [problem] : []
            : SqliteSinkOptions.Problems(kind, activity);
    }

    /// <summary>The database file, by its canonical path.</summary>
    public string? WriteResource(ActivityKind kind, Settings connection, Settings activity) => Resource(connection);

    /// <summary>The database file, as <see cref="WriteResource"/> names it.</summary>
    public string? ReadResource(Settings connection, Settings activity) => Resource(connection);

    private static string Resource(Settings connection) =>
        "SQLite database " + State.CanonicalPath.Of(SqliteConnectionOptions.From(connection).Path);

    public ISource CreateSource(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SqliteSource(SqliteConnectionOptions.From(context.Connection), SqliteQueryOptions.From(context.Activity));
    }

    public ValueTask<RecordShape?> DiscoverRecordsAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new SqliteSource(SqliteConnectionOptions.From(context.Connection), SqliteQueryOptions.From(context.Activity));
        return ValueTask.FromResult<RecordShape?>(source.Describe());
    }

    public ISink CreateSink(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SqliteSink(SqliteConnectionOptions.From(context.Connection), SqliteSinkOptions.From(context.Kind, context.Activity), context.Preview);
    }

    public Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(SqliteConnectionTester.Test(context));
    }
}
