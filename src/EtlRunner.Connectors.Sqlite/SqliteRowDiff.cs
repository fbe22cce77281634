using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The row a keyed write would change, compared with the record field by field:
/// <c>SELECT "a" IS $p0, "b" IS $p1 FROM "t" WHERE "k" = $p2 LIMIT 1</c>. <c>IS</c> so that NULL equals NULL, with
/// the column's affinity applied to the bound value as the write applies it; <c>=</c> on the key as the write's own
/// match (and a unique key) has it, so an empty key matches nothing.
/// </summary>
/// <remarks>
/// Asked before an upsert, a replace or an update writes a record: so that the sink can tell a create from an update,
/// name the columns an update changes, and leave a row that is identical already alone (skipped, unchanged). Prepared
/// on the connection's native handle, like the write, so it runs inside the batch's transaction and sees its rows.
/// </remarks>
internal sealed class SqliteRowDiff : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _compared;
    private readonly int[] _parameters;
    private readonly string[] _names;

    public SqliteRowDiff(SqliteConnection connection, string table, RecordSchema schema, int[] compared, int[] keyFields)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        _compared = compared;
        _parameters = [.. compared, .. keyFields];
        _names = [.. compared.Select(f => schema.Names[f])];
        var columns = compared.Length == 0 ? "1" : string.Join(", ", compared.Select((f, p) => $"{SqlText.Quote(schema.Names[f])} IS {SqliteWritePlan.ParameterName(p)}"));
        var sql = new StringBuilder("SELECT ").Append(columns).Append(" FROM ").Append(SqlText.Quote(table)).Append(" WHERE ")
            .AppendJoin(" AND ", keyFields.Select((f, k) => $"{SqlText.Quote(schema.Names[f])} = {SqliteWritePlan.ParameterName(compared.Length + k)}"))
            .Append(" LIMIT 1")
            .ToString();
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    /// <summary>The fields whose value differs from the row with the record's key (none: identical), or null when there is no such row.</summary>
    public IReadOnlyList<string>? Changed(Record record)
    {
        try
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                var rc = SqliteValues.Bind(_statement, i + 1, record.GetValue(_parameters[i]));
                if (rc != raw.SQLITE_OK)
                {
                    throw Error(rc);
                }
            }

            var step = raw.sqlite3_step(_statement);
            if (step == raw.SQLITE_DONE)
            {
                return null;
            }

            if (step != raw.SQLITE_ROW)
            {
                throw Error(step);
            }

            List<string>? changed = null;
            for (var i = 0; i < _compared.Length; i++)
            {
                if (raw.sqlite3_column_int(_statement, i) == 0)
                {
                    (changed ??= []).Add(_names[i]);
                }
            }

            return changed ?? (IReadOnlyList<string>)[];
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
