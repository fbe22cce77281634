using System.Text;
using Microsoft.Data.Sqlite;

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
    private readonly SqliteRawStatement _statement;
    private readonly int[] _parameters;
    private readonly string[] _names;

    public SqliteRowDiff(SqliteConnection connection, string table, RecordSchema schema, int[] compared, int[] keyFields)
    {
        _parameters = [.. compared, .. keyFields];
        _names = [.. compared.Select(f => schema.Names[f])];
        var columns = compared.Length == 0 ? "1" : string.Join(", ", compared.Select((f, p) => $"{SqlText.Quote(schema.Names[f])} IS {SqliteWritePlan.ParameterName(p)}"));
        var sql = new StringBuilder("SELECT ").Append(columns).Append(" FROM ").Append(SqlText.Quote(table)).Append(" WHERE ")
            .AppendJoin(" AND ", keyFields.Select((f, k) => $"{SqlText.Quote(schema.Names[f])} = {SqliteWritePlan.ParameterName(compared.Length + k)}"))
            .Append(" LIMIT 1")
            .ToString();
        _statement = new SqliteRawStatement(connection, sql);
    }

    /// <summary>The fields whose value differs from the row with the record's key (none: identical), or null when there is no such row.</summary>
    public IReadOnlyList<string>? Changed(Record record)
    {
        try
        {
            _statement.Bind(record, _parameters);
            if (!_statement.Step())
            {
                return null;
            }

            List<string>? changed = null;
            for (var i = 0; i < _names.Length; i++)
            {
                if (_statement.Column(i) is 0L)
                {
                    (changed ??= []).Add(_names[i]);
                }
            }

            return changed ?? (IReadOnlyList<string>)[];
        }
        finally
        {
            _statement.Reset();
        }
    }

    public void Dispose() => _statement.Dispose();
}
