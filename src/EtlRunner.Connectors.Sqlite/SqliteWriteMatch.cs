using System.Text;
using Microsoft.Data.Sqlite;

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
    private readonly SqliteRawStatement _statement;
    private readonly int[] _fields;

    public SqliteWriteMatch(SqliteConnection connection, string table, RecordSchema schema, int[] fields)
    {
        _fields = fields;
        var sql = new StringBuilder("SELECT 1 FROM ").Append(SqlText.Quote(table)).Append(" WHERE ")
            .AppendJoin(" AND ", fields.Select((field, p) => $"{SqlText.Quote(schema.Names[field])} IS {SqliteWritePlan.ParameterName(p)}"))
            .Append(" LIMIT 1")
            .ToString();
        _statement = new SqliteRawStatement(connection, sql);
    }

    /// <summary>True when a row holds exactly the record's values.</summary>
    public bool Exists(Record record)
    {
        try
        {
            _statement.Bind(record, _fields);
            return _statement.Step();
        }
        finally
        {
            _statement.Reset();
        }
    }

    public void Dispose() => _statement.Dispose();
}
