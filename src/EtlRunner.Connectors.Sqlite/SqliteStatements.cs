using System.Text;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The text of the write statements. Names are quoted; the parameters are <c>$p0</c>, <c>$p1</c>, ...
/// in the order the caller binds them.
/// </summary>
internal static class SqliteStatements
{
    public static string Insert(string table, RecordSchema schema, int[] fields, int[] keyFields, int[] others, string onConflict)
    {
        var sql = new StringBuilder(onConflict == SqliteConflict.Replace ? "INSERT OR REPLACE INTO " : "INSERT INTO ")
            .Append(SqlText.Quote(table))
            .Append(" (").Append(SqlText.QuoteList(fields.Select(i => schema.Names[i]))).Append(") VALUES (")
            .AppendJoin(", ", fields.Select((_, p) => SqliteWritePlan.ParameterName(p)))
            .Append(')');
        if (onConflict == SqliteConflict.Ignore)
        {
            sql.Append(" ON CONFLICT DO NOTHING");
        }
        else if (onConflict == SqliteConflict.Upsert)
        {
            sql.Append(" ON CONFLICT (").Append(SqlText.QuoteList(keyFields.Select(i => schema.Names[i]))).Append(')');
            sql.Append(others.Length == 0
                ? " DO NOTHING"
                : " DO UPDATE SET " + string.Join(", ", others.Select(i => $"{SqlText.Quote(schema.Names[i])} = excluded.{SqlText.Quote(schema.Names[i])}")));
        }

        return sql.ToString();
    }

    public static string Update(string table, RecordSchema schema, int[] others, int[] keyFields)
    {
        var set = others.Select((field, p) => $"{SqlText.Quote(schema.Names[field])} = {SqliteWritePlan.ParameterName(p)}");
        return $"UPDATE {SqlText.Quote(table)} SET {string.Join(", ", set)} WHERE {KeyMatch(schema, keyFields, others.Length)}";
    }

    public static string Delete(string table, RecordSchema schema, int[] keyFields) =>
        $"DELETE FROM {SqlText.Quote(table)} WHERE {KeyMatch(schema, keyFields, 0)}";

    private static string KeyMatch(RecordSchema schema, int[] keyFields, int firstParameter) =>
        string.Join(" AND ", keyFields.Select((field, k) => $"{SqlText.Quote(schema.Names[field])} = {SqliteWritePlan.ParameterName(firstParameter + k)}"));
}
