using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// Writes records to a table (the <c>create</c>, <c>update</c> and <c>delete</c> activities): one
/// transaction per batch, one prepared statement per record schema, the connection kept open from
/// the first batch until the sink completes.
/// </summary>
/// <remarks>
/// A preview (a dry run) runs the very statements a real write runs, in one transaction over the whole operation that
/// is always rolled back: so each record meets the constraints, the conflicts and the rows of the batches before it
/// exactly as it would, and gets the real write's outcome and reason, while the file is left as it was. It opens the
/// database without creating it and without the real write's switch to WAL; a database that does not exist yet is
/// previewed in memory, as the empty database the real write would create.
/// </remarks>
/// <remarks>
/// Resuming after a crash: a batch is one transaction, so a killed run leaves either all of a batch or none of it.
/// A record the write ledger flags (<see cref="ISinkContext.MayHaveBeenWritten"/>: its batch may have committed just
/// before the kill) is looked up before a create writes it: a row equal to it in every field it writes, except the
/// fields that differ between runs (<see cref="RecordSchema.Varying"/>: a map reading the run id or the clock), is that
/// earlier write, and the record counts as skipped. So neither a keyed nor a keyless table gets the batch twice. (Two
/// identical source rows in that one batch are then written once.)
/// </remarks>
internal sealed class SqliteSink : ISink
{
    private readonly SqliteConnectionOptions _connectionOptions;
    private readonly SqliteSinkOptions _options;
    private readonly bool _preview;
    private readonly Dictionary<RecordSchema, SqliteWriteStatement> _statements = [];
    private SqliteConnection? _connection;
    private SqliteTable? _table;
    private RecordSchema? _lastSchema;
    private SqliteWriteStatement? _lastStatement;

    public SqliteSink(SqliteConnectionOptions connectionOptions, SqliteSinkOptions options, bool preview = false)
    {
        _connectionOptions = connectionOptions;
        _options = options;
        _preview = preview;
    }

    public bool CanPreview => true;

    public ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return ValueTask.FromResult(WriteResult.AllWritten(0));
        }

        try
        {
            var connection = _connection ??= _preview ? SqliteDatabase.OpenForPreview(_connectionOptions) : SqliteDatabase.OpenForWrite(_connectionOptions);
            _table ??= LoadTable(connection, batch[0]);
            if (_preview)
            {
                return ValueTask.FromResult(WriteBatch(batch, context, cancellationToken)); // in the preview's transaction, never committed
            }

            using var transaction = connection.BeginTransaction();
            var result = WriteBatch(batch, context, cancellationToken);
            transaction.Commit();
            return ValueTask.FromResult(result);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _connectionOptions);
        }
    }

    /// <summary>The rows in the table (0 when the database or the table does not exist yet: nothing is created to find out).</summary>
    public ValueTask<long?> CountAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<long?>(Query("SELECT count(*) FROM {0}"));

    /// <summary>The table exists and has a row (a missing database file is not created to find out).</summary>
    public ValueTask<bool> HoldsDataAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Query("SELECT EXISTS (SELECT 1 FROM {0})") == 1);

    /// <summary>A number about the target table, read without creating anything; 0 when the table is not there.</summary>
    private long Query(string sql)
    {
        if (!File.Exists(_connectionOptions.Path))
        {
            return 0;
        }

        try
        {
            using var connection = SqliteDatabase.OpenForRead(_connectionOptions);
            if (SqliteTable.Load(connection, _options.Table) is null)
            {
                return 0;
            }

            using var command = connection.CreateCommand();
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, SqlText.Quote(_options.Table));
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Wrap(ex, _connectionOptions);
        }
    }

    /// <summary>Closes the connection; a preview's transaction, never committed, is rolled back as it closes.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => DisposeAsync();

    public ValueTask DisposeAsync()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
        _lastSchema = null;
        _lastStatement = null;
        _connection?.Dispose();
        _connection = null;
        return ValueTask.CompletedTask;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private WriteResult WriteBatch(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0, deleted = 0, skipped = 0, unchanged = 0;
        List<RejectedRecord>? rejected = null;
        var previews = _preview ? new List<RecordPreview>(batch.Count) : null;
        foreach (var record in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var statement = StatementFor(record.Schema);
            var outcome = context.MayHaveBeenWritten(record) && statement.HoldsEqualRow(record)
                ? SqliteWriteOutcome.Skip("written already by the interrupted run", unchanged: true)
                : statement.Execute(record);
            if (outcome is { Action: RecordAction.Reject, Code: "unique" or "primary_key" } && statement.HoldsEqualRow(record))
            {
                // The row is there already, equal to the record (an earlier run whose ledger is lost wrote it).
                outcome = SqliteWriteOutcome.Skip($"the row in {_options.Table} is identical already", unchanged: true);
            }

            switch (outcome.Action)
            {
                case RecordAction.Create:
                    created++;
                    break;
                case RecordAction.Update:
                    updated++;
                    break;
                case RecordAction.Delete:
                    deleted++;
                    break;
                case RecordAction.Skip:
                    skipped++;
                    unchanged += outcome.Unchanged ? 1 : 0;
                    break;
                default:
                    (rejected ??= []).Add(new RejectedRecord(record, outcome.Reason!) { Code = outcome.Code });
                    break;
            }

            previews?.Add(new RecordPreview(record, outcome.Action) { Key = statement.Key(record), ChangedFields = outcome.ChangedFields, Reason = outcome.Reason });
        }

        return new WriteResult(created + updated + deleted, skipped, rejected)
        {
            Kinds = new WriteKinds(created, updated, deleted, unchanged),
            Previews = previews,
        };
    }

    private SqliteWriteStatement StatementFor(RecordSchema schema)
    {
        if (ReferenceEquals(schema, _lastSchema))
        {
            return _lastStatement!;
        }

        if (!_statements.TryGetValue(schema, out var statement))
        {
            var plan = SqliteWritePlan.Create(schema, _table!, _options);
            statement = new SqliteWriteStatement(_connection!, plan, _options);
            _statements.Add(schema, statement);
        }

        _lastSchema = schema;
        _lastStatement = statement;
        return statement;
    }

    private SqliteTable LoadTable(SqliteConnection connection, Record first)
    {
        var table = SqliteTable.Load(connection, _options.Table);
        if (table is not null)
        {
            return table;
        }

        if (!_options.CreateTable)
        {
            throw SqliteErrors.TableNotFound(_options.Table, _connectionOptions.Path, canCreate: _options.Kind == ActivityKind.Create);
        }

        SqliteTable.Create(connection, _options.Table, first, _options.Key);
        return SqliteTable.Load(connection, _options.Table) ?? throw SqliteErrors.TableNotFound(_options.Table, _connectionOptions.Path, canCreate: false);
    }
}
