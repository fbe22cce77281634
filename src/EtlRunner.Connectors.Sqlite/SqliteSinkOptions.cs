namespace EtlRunner.Connectors.Sqlite;

/// <summary>The parameters of a sqlite <c>create</c>, <c>update</c> or <c>delete</c> activity.</summary>
internal sealed record SqliteSinkOptions(ActivityKind Kind, string Table, IReadOnlyList<string> Key, string OnConflict, bool CreateTable)
{
    public static SqliteSinkOptions From(ActivityKind kind, Settings activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (Problems(kind, activity).FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem.Message);
        }

        return new SqliteSinkOptions(
            kind,
            activity.GetRequiredString(SqliteParameters.Table),
            activity.GetStringList(SqliteParameters.Key),
            activity.GetString(SqliteParameters.OnConflict) ?? SqliteConflict.Fail,
            kind == ActivityKind.Create && activity.GetBoolean(SqliteParameters.CreateTable, defaultValue: false));
    }

    public static IEnumerable<SettingProblem> Problems(ActivityKind kind, Settings activity)
    {
        if (activity.GetString(SqliteParameters.Table) is not { Length: > 0 })
        {
            yield return new SettingProblem(SqliteParameters.Table, $"A sqlite {kind.ToName()} needs table: the table to write to.");
        }

        var hasKey = activity.GetStringList(SqliteParameters.Key).Count > 0;
        if ((kind == ActivityKind.Update || kind == ActivityKind.Delete) && !hasKey)
        {
            yield return new SettingProblem(SqliteParameters.Key, $"A sqlite {kind.ToName()} needs key: the fields that identify the row to {kind.ToName()}.");
        }

        var onConflict = activity.GetString(SqliteParameters.OnConflict) ?? SqliteConflict.Fail;
        if (kind == ActivityKind.Create && !SqliteConflict.All.Contains(onConflict))
        {
            yield return new SettingProblem(SqliteParameters.OnConflict, $"Unknown on_conflict '{onConflict}'. Known values: {string.Join(", ", SqliteConflict.All)}.");
        }

        if (kind == ActivityKind.Create && onConflict == SqliteConflict.Upsert && !hasKey)
        {
            yield return new SettingProblem(SqliteParameters.Key, "on_conflict: upsert needs key: the fields whose match makes an insert an update.");
        }
    }
}
