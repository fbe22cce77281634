using System.Globalization;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// How records of one schema are written: the statement and, for each of its parameters, the field
/// it takes its value from. When records of the schema cannot be written at all (a field that is
/// not a column, a missing key field), <see cref="RejectReason"/> says why.
/// </summary>
internal sealed class SqliteWritePlan
{
    private SqliteWritePlan(string? sql, int[] parameterFields, int[] keyFields, string? rejectReason, string? rejectCode)
    {
        Sql = sql;
        ParameterFields = parameterFields;
        KeyFields = keyFields;
        RejectReason = rejectReason;
        RejectCode = rejectCode;
    }

    /// <summary>The statement, with parameters named <c>$p0</c>, <c>$p1</c>, ... in the order of <see cref="ParameterFields"/>.</summary>
    public string? Sql { get; }

    public int[] ParameterFields { get; }

    /// <summary>The field indexes of the key, for the checks and reasons of update and delete.</summary>
    public int[] KeyFields { get; }

    public string? RejectReason { get; }

    public string? RejectCode { get; }

    public static string ParameterName(int index) => string.Create(CultureInfo.InvariantCulture, $"$p{index}");

    public static SqliteWritePlan Create(RecordSchema schema, SqliteTable table, SqliteSinkOptions options)
    {
        var missingKey = options.Key.Where(k => !schema.TryGetIndex(k, out _)).ToList();
        if (missingKey.Count > 0 && (options.Kind != ActivityKind.Create || options.OnConflict == SqliteConflict.Upsert))
        {
            return Reject($"the record has no key field {string.Join(", ", missingKey.Select(k => $"'{k}'"))}", "missing_key");
        }

        var keyFields = options.Key.Select(k => schema.TryGetIndex(k, out var i) ? i : -1).Where(i => i >= 0).ToArray();
        var written = options.Kind == ActivityKind.Delete ? [.. keyFields] : Enumerable.Range(0, schema.Count).ToArray();
        var unknown = written.Select(i => schema.Names[i]).Where(n => !table.HasColumn(n)).ToList();
        if (unknown.Count > 0)
        {
            return Reject($"{DescribeUnknown(unknown)} not a column of {table.Name} (its columns are {string.Join(", ", table.Columns)})", "unknown_column");
        }

        var others = written.Where(i => !keyFields.Contains(i)).ToArray();
        var kind = options.Kind;
        return kind switch
        {
            _ when kind == ActivityKind.Create => Plan(SqliteStatements.Insert(table.Name, schema, written, keyFields, others, options.OnConflict), written, keyFields),
            _ when kind == ActivityKind.Update && others.Length == 0 => Reject($"nothing to update: the record has only its key fields ({string.Join(", ", options.Key)})", "nothing_to_update"),
            _ when kind == ActivityKind.Update => Plan(SqliteStatements.Update(table.Name, schema, others, keyFields), [.. others, .. keyFields], keyFields),
            _ when kind == ActivityKind.Delete => Plan(SqliteStatements.Delete(table.Name, schema, keyFields), keyFields, keyFields),
            _ => throw new NotSupportedException($"sqlite connections cannot write with {options.Kind.ToName()}."),
        };
    }

    private static SqliteWritePlan Plan(string sql, int[] parameterFields, int[] keyFields) =>
        new(sql, parameterFields, keyFields, null, null);

    private static SqliteWritePlan Reject(string reason, string code) => new(null, [], [], reason, code);

    private static string DescribeUnknown(List<string> unknown) =>
        unknown.Count == 1 ? $"the field '{unknown[0]}' is" : $"the fields {string.Join(", ", unknown.Select(n => $"'{n}'"))} are";
}
