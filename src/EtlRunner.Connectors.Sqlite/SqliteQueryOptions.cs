namespace EtlRunner.Connectors.Sqlite;

/// <summary>The parameters of a sqlite <c>query</c> activity: exactly one of <c>sql</c> and <c>table</c>.</summary>
internal sealed record SqliteQueryOptions(string CommandText, string Label, IReadOnlyDictionary<string, object?> Parameters)
{
    /// <summary>What the records' fields are, for messages: "the columns of table contacts".</summary>
    public string FieldsDescription { get; init; } = "the columns of the sql query";

    public static SqliteQueryOptions From(Settings activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Problem(activity) is { } problem)
        {
            throw new ArgumentException(problem.Message);
        }

        var parameters = activity.GetMap(SqliteParameters.Parameters);
        if (activity.GetBoundText(SqliteParameters.Sql) is { Written.Length: > 0 } sql)
        {
            var bound = SqliteBoundSql.From(sql);
            return new SqliteQueryOptions(bound.CommandText, "query", parameters.Concat(bound.Values).ToDictionary(StringComparer.Ordinal));
        }

        return new SqliteQueryOptions($"SELECT * FROM {SqlText.Quote(activity.GetRequiredString(SqliteParameters.Table))}", activity.GetRequiredString(SqliteParameters.Table), parameters)
        {
            FieldsDescription = $"the columns of table {activity.GetRequiredString(SqliteParameters.Table)}",
        };
    }

    public static SettingProblem? Problem(Settings activity)
    {
        var hasSql = activity.GetString(SqliteParameters.Sql) is { Length: > 0 };
        var hasTable = activity.GetString(SqliteParameters.Table) is { Length: > 0 };
        return (hasSql, hasTable) switch
        {
            (true, true) => new SettingProblem(SqliteParameters.Sql, "Give either sql or table, not both."),
            (false, false) => new SettingProblem(SqliteParameters.Sql, "A sqlite query needs sql (a SELECT statement) or table (a table to read whole)."),
            _ => activity.GetBoundText(SqliteParameters.Sql) is { } sql && SqliteBoundSql.Problem(sql) is { } problem ? new SettingProblem(SqliteParameters.Sql, problem) : null,
        };
    }
}
