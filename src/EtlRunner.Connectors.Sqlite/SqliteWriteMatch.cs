using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// Whether the table already holds a row equal to a record in the given fields
/// (<c>SELECT 1 FROM "t" WHERE "a" IS $p0 AND "b" IS $p1 ... LIMIT 1</c>; <c>IS</c> so that NULL matches NULL, and
/// the column's affinity applies to the bound value as it did when the row was inserted).
/// </summary>
/// <remarks>
/// Asked before a create writes a record an interrupted earlier run sent (<see cref="ISinkContext.MayHaveBeenWritten"/>):
/// that run may have committed the row and been killed before it could confirm it. Prepared on the connection's
/// native handle, like the insert, so it runs inside the batch's transaction.
/// </remarks>
internal sealed class SqliteWriteMatch : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _fields;

    public SqliteWriteMatch(SqliteConnection connection, string table, RecordSchema schema, int[] fields)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _fields = fields;
        var sql = new StringBuilder("SELECT 1 FROM ").Append(SqlText.Quote(table)).Append(" WHERE ")
            .AppendJoin(" AND ", fields.Select((field, p) => $"{SqlText.Quote(schema.Names[field])} IS {SqliteWritePlan.ParameterName(p)}"))
            .Append(" LIMIT 1")
            .ToString();
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    /// <summary>True when a row holds exactly the record's values.</summary>
    public bool Exists(Record record)
    {
        try
        {
            for (var i = 0; i < _fields.Length; i++)
            {
                var rc = SqliteValues.Bind(_statement, i + 1, record.GetValue(_fields[i]));
                if (rc != raw.SQLITE_OK)
                {
                    throw Error(rc);
                }
            }

            var step = raw.sqlite3_step(_statement);
            return step switch
            {
                raw.SQLITE_ROW => true,
                raw.SQLITE_DONE => false,
                _ => throw Error(step),
            };
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
}
