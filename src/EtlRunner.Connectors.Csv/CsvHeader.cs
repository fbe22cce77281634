using System.Globalization;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>Builds the one <see cref="RecordSchema"/> that every record of a file shares.</summary>
internal static class CsvHeader
{
    /// <summary>
    /// The field names of a header line. An empty name becomes <c>columnN</c> (its position); a name
    /// seen before gets a suffix: <c>email</c>, <c>email_2</c>, <c>email_3</c>.
    /// </summary>
    public static RecordSchema FromNames(IReadOnlyList<string> names)
    {
        var used = new HashSet<string>(names.Count, StringComparer.Ordinal);
        var unique = new string[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var name = i == 0 ? names[i].TrimStart('\uFEFF') : names[i];
            if (name.Length == 0)
            {
                name = ColumnName(i);
            }

            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = string.Create(CultureInfo.InvariantCulture, $"{name}_{n}");
            }

            unique[i] = candidate;
        }

        return new RecordSchema(unique);
    }

    /// <summary>The fields of a file's records, from its first line, without reading a record; null for an empty file.</summary>
    public static RecordShape? Discover(CsvConnectionOptions options)
    {
        if (!File.Exists(options.Path))
        {
            throw CsvErrors.FileNotFound(options.Path);
        }

        try
        {
            using var reader = CsvReader.FromFile(options.Path, CsvReaderSettings.For(options));
            if (!reader.Read())
            {
                return null;
            }

            var schema = options.HasHeader ? FromNames(CsvRecordReader.Fields(reader)) : Numbered(reader.FieldCount);
            return RecordShape.Flat(schema.Names, options.HasHeader ? $"the header of {options.FileName}" : $"{options.FileName} (no header)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CsvErrors.CannotRead(options.Path, ex);
        }
    }

    /// <summary>The names of a file without a header: <c>column1</c>, <c>column2</c>, ...</summary>
    public static RecordSchema Numbered(int count) =>
        new(Enumerable.Range(0, count).Select(ColumnName));

    private static string ColumnName(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"column{index + 1}");
}
