using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>
/// The SQLite errors that are one row's fault (a constraint, a type mismatch, a value too big):
/// SQLite rolls back only the failing statement, so the row is rejected and the batch goes on.
/// Any other error fails the whole batch.
/// </summary>
internal static class SqliteRowErrors
{
    private const int TooBig = 18;
    private const int Constraint = 19;
    private const int Mismatch = 20;

    public static bool IsRowError(SqliteException ex) => ex.SqliteErrorCode is TooBig or Constraint or Mismatch;

    /// <summary>A machine-readable code for <see cref="RejectedRecord.Code"/>, from SQLite's extended result code.</summary>
    public static string Code(SqliteException ex) => ex.SqliteExtendedErrorCode switch
    {
        275 => "check",
        787 => "foreign_key",
        1299 => "not_null",
        1555 => "primary_key",
        2067 => "unique",
        _ => ex.SqliteErrorCode switch
        {
            TooBig => "too_big",
            Mismatch => "datatype_mismatch",
            _ => "constraint",
        },
    };
}
