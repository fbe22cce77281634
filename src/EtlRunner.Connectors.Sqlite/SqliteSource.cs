using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>Reads the rows of a query or a table (the <c>query</c> activity); every record shares one schema.</summary>
internal sealed class SqliteSource : ISource
{
    private const int ProgressEvery = 10_000;

    private readonly SqliteConnectionOptions _connection;
    private readonly SqliteQueryOptions _query;

    public SqliteSource(SqliteConnectionOptions connection, SqliteQueryOptions query)
    {
        _connection = connection;
        _query = query;
    }

    public async IAsyncEnumerable<Record> ReadAsync(ISourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var database = SqliteReadHandle.Open(_connection);
        using var statement = Prepare(database.Handle);
        var schema = SqliteColumnNames.Schema(statement.ColumnNames());
        var origin = _query.Label + " row ";
        // A UTF-8 database (the default) hands its text over as bytes, made into strings only if something asks.
        var rows = database.IsUtf8() ? new Utf8Rows(schema.Count) : null;
        long row = 0;
        while (Step(statement))
        {
            cancellationToken.ThrowIfCancellationRequested();
            row++;
            if (row % ProgressEvery == 0)
            {
                context.ReportProgress(row, null);
            }

            if (rows is not null)
            {
                statement.ReadRow(rows, schema.Count);
                yield return rows.EndRow(schema, origin, row);
                continue;
            }

            var values = new object?[schema.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = statement.Column(i);
            }

            yield return new Record(schema, values, origin, row);
        }

        context.ReportProgress(row, row);
    }

    /// <summary>The fields of the records, from the columns of the prepared statement: the query is not run.</summary>
    public RecordShape Describe()
    {
        using var connection = SqliteDatabase.OpenForRead(_connection);
        try
        {
            using var statement = new SqliteRawStatement(connection, _query.CommandText);
            return RecordShape.Flat(SqliteColumnNames.Schema(statement.ColumnNames()).Names, _query.FieldsDescription);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _connection);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The query prepared on the connection's handle with its parameters bound; read column by column, without a data reader.</summary>
    private SqliteRawStatement Prepare(sqlite3 database)
    {
        SqliteRawStatement? statement = null;
        try
        {
            statement = new SqliteRawStatement(database, _query.CommandText);
            foreach (var (name, value) in _query.Parameters)
            {
                statement.BindNamed(name, SqliteValues.ToDatabase(value));
            }

            if (statement.UnboundParameters(_query.Parameters.Keys) is { Count: > 0 } unbound)
            {
                throw new InvalidOperationException($"The sql uses {string.Join(", ", unbound)} but parameters gives no value for {(unbound.Count == 1 ? "it: add it" : "them: add them")} to the query's parameters.");
            }

            return statement;
        }
        catch (Exception ex)
        {
            statement?.Dispose();
            throw ex is SqliteException sqlite ? SqliteErrors.Wrap(sqlite, _connection) : ex;
        }
    }

    private bool Step(SqliteRawStatement statement)
    {
        try
        {
            return statement.Step();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _connection);
        }
    }
}
