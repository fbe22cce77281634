using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using EtlRunner.Execution;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>Converts record values to SQLite values and back.</summary>
internal static class SqliteValues
{
    private static readonly object One = 1L;
    private static readonly object Zero = 0L;

    /// <summary>
    /// The value to bind for a record value: bool as 1/0, dates as ISO 8601 text, nested objects and
    /// arrays as JSON text, <c>null</c> as NULL; strings, whole numbers, doubles and byte arrays as they are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object ToDatabase(object? value) => value switch
    {
        null => DBNull.Value,
        string or long or double or byte[] => value,
        int i => (long)i,
        bool b => b ? One : Zero,
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IEnumerable => JsonValues.ToText(value),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The column type create_table gives a field, from its value in the first record.</summary>
    public static string ColumnType(object? value) => value switch
    {
        null => string.Empty,
        long or int or bool => "INTEGER",
        double or decimal or float => "REAL",
        byte[] => "BLOB",
        _ => "TEXT",
    };
}
