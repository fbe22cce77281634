namespace EtlRunner.Connectors.Sqlite;

/// <summary>What became of one record: written, skipped, or rejected with a reason.</summary>
internal readonly record struct SqliteWriteOutcome(SqliteWriteOutcome.Kinds Kind, string? Reason = null, string? Code = null)
{
    public enum Kinds
    {
        Written,
        Skipped,
        Rejected,
    }

    public static SqliteWriteOutcome Written { get; } = new(Kinds.Written);

    public static SqliteWriteOutcome Skipped { get; } = new(Kinds.Skipped);

    public static SqliteWriteOutcome Reject(string reason, string? code) => new(Kinds.Rejected, reason, code);
}
