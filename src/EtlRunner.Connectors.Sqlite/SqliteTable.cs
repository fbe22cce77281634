using Microsoft.Data.Sqlite;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>The columns of the table a target writes to, and its creation for <c>create_table: true</c>.</summary>
internal sealed class SqliteTable
{
    private readonly HashSet<string> _columns;

    private SqliteTable(string name, IReadOnlyList<string> columns)
    {
        Name = name;
        Columns = columns;
        _columns = new HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Whether the table has the column (SQLite matches column names ignoring ASCII case).</summary>
    public bool HasColumn(string name) => _columns.Contains(name);

    /// <summary>The table, or <c>null</c> when the database has no table (or view) of that name.</summary>
    public static SqliteTable? Load(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($table) ORDER BY cid";
        command.Parameters.AddWithValue("$table", name);
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns.Count == 0 ? null : new SqliteTable(name, columns);
    }

    /// <summary>
    /// Creates the table with a column per field of <paramref name="first"/>, typed from its values
    /// (a null value gives an untyped column), and a UNIQUE, NOT NULL key when one is given.
    /// </summary>
    public static void Create(SqliteConnection connection, string name, Record first, IReadOnlyList<string> key)
    {
        var columns = new List<string>();
        for (var i = 0; i < first.Count; i++)
        {
            var field = first.Schema.Names[i];
            var type = SqliteValues.ColumnType(first.GetValue(i));
            var notNull = key.Contains(field, StringComparer.Ordinal) ? " NOT NULL" : string.Empty;
            columns.Add($"{SqlText.Quote(field)}{(type.Length == 0 ? string.Empty : " " + type)}{notNull}");
        }

        var missingKey = key.FirstOrDefault(k => !first.ContainsKey(k));
        if (missingKey is not null)
        {
            throw SqliteErrors.KeyNotInRecord(name, missingKey);
        }

        if (key.Count > 0)
        {
            columns.Add($"UNIQUE ({SqlText.QuoteList(key)})");
        }

        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TABLE IF NOT EXISTS {SqlText.Quote(name)} ({string.Join(", ", columns)})";
        command.ExecuteNonQuery();
    }
}
