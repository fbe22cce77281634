using EtlRunner.Connectors;

namespace EtlRunner.Testing;

/// <summary>Builds test data with unique values.</summary>
public static class Some
{
    private static int _counter;

    public static string Name(string prefix = "name") => $"{prefix}{Interlocked.Increment(ref _counter)}";

    /// <summary>Records with the given fields; field values are built from the field name and the index.</summary>
    public static List<Record> Records(int count, params string[] fields)
    {
        var schema = new RecordSchema(fields);
        return [.. Enumerable.Range(1, count).Select(i => new Record(schema, [.. fields.Select(f => (object?)$"{f}{i}")], $"memory:{i}"))];
    }

    public static Record Record(params (string Name, object? Value)[] fields) =>
        Connectors.Record.From(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
}
