namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// What became of one record, or in a preview would: created, updated (with the columns whose value changed), deleted,
/// skipped (<see cref="Unchanged"/> when the row was identical already) or rejected, with a reason.
/// </summary>
internal readonly record struct SqliteWriteOutcome(RecordAction Action, string? Reason = null, string? Code = null)
{
    public static SqliteWriteOutcome Created { get; } = new(RecordAction.Create);

    public static SqliteWriteOutcome Deleted { get; } = new(RecordAction.Delete);

    /// <summary>For an update: the record's fields whose value differs from the stored row's.</summary>
    public IReadOnlyList<string>? ChangedFields { get; init; }

    /// <summary>A skip because the table holds the row as the record would make it.</summary>
    public bool Unchanged { get; init; }

    public static SqliteWriteOutcome Updated(IReadOnlyList<string> changed) => new(RecordAction.Update) { ChangedFields = changed };

    public static SqliteWriteOutcome Skip(string reason, bool unchanged) => new(RecordAction.Skip, reason) { Unchanged = unchanged };

    public static SqliteWriteOutcome Reject(string reason, string? code) => new(RecordAction.Reject, reason, code);
}
