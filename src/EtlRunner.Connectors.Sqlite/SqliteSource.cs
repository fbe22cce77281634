using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

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
        await using var connection = SqliteDatabase.OpenForRead(_connection);
        await using var command = Command(connection);
        await using var reader = Execute(command);
        var schema = SqliteColumnNames.Schema(reader);
        long row = 0;
        while (Read(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = new object?[schema.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = SqliteValues.FromDatabase(reader, i);
            }

            row++;
            if (row % ProgressEvery == 0)
            {
                context.ReportProgress(row, null);
            }

            yield return new Record(schema, values, string.Create(CultureInfo.InvariantCulture, $"{_query.Label} row {row}"));
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

    private SqliteCommand Command(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = _query.CommandText;
        foreach (var (name, value) in _query.Parameters)
        {
            command.Parameters.AddWithValue(name, SqliteValues.ToDatabase(value));
        }

        return command;
    }

    private SqliteDataReader Execute(SqliteCommand command)
    {
        try
        {
            return command.ExecuteReader();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _connection);
        }
    }

    private bool Read(SqliteDataReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _connection);
        }
    }
}
