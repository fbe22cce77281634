using System.Globalization;

namespace EtlRunner.Connectors.Sqlite;

/// <summary>The schema of a query's records: its column names, made unique (<c>id</c>, <c>id_2</c>) when a join repeats one.</summary>
internal static class SqliteColumnNames
{
    public static RecordSchema Schema(IReadOnlyList<string> columns)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[columns.Count];
        for (var i = 0; i < names.Length; i++)
        {
            var name = columns[i];
            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = string.Create(CultureInfo.InvariantCulture, $"{name}_{n}");
            }

            names[i] = candidate;
        }

        return new RecordSchema(names);
    }
}
