namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Where each column of the output file takes its value from in records of one schema: a field
/// index, or -1 for a field the records lack (written empty). Records with fields the file has no
/// column for are rejected with <see cref="RejectReason"/>.
/// </summary>
internal sealed class CsvFieldMap
{
    private CsvFieldMap(int[] fieldIndexes, string? rejectReason)
    {
        FieldIndexes = fieldIndexes;
        RejectReason = rejectReason;
    }

    public int[] FieldIndexes { get; }

    public string? RejectReason { get; }

    public static CsvFieldMap Create(RecordSchema schema, IReadOnlyList<string> columns, string fileName)
    {
        var indexes = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            indexes[i] = schema.TryGetIndex(columns[i], out var index) ? index : -1;
        }

        var unknown = schema.Names.Where(n => !columns.Contains(n, StringComparer.Ordinal)).ToList();
        var reason = unknown.Count == 0
            ? null
            : $"{Describe(unknown)} not a column of {fileName} (its columns are {string.Join(", ", columns)})";
        return new CsvFieldMap(indexes, reason);
    }

    private static string Describe(List<string> unknown) =>
        unknown.Count == 1 ? $"the field '{unknown[0]}' is" : $"the fields {string.Join(", ", unknown.Select(n => $"'{n}'"))} are";
}
