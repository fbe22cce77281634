namespace EtlRunner.Connectors.Tests.Support;

/// <summary>Makes records and drives sources and sinks to the end.</summary>
public static class Records
{
    public static Record Of(params (string Name, object? Value)[] fields) =>
        Record.From(fields.Select(f => new KeyValuePair<string, object?>(f.Name, f.Value)));

    /// <summary>Records that share one schema, as a source makes them.</summary>
    public static IReadOnlyList<Record> Shared(string[] names, params object?[][] rows)
    {
        var schema = new RecordSchema(names);
        return [.. rows.Select((row, i) => new Record(schema, row, $"row {i + 1}"))];
    }

    public static async Task<List<Record>> ReadAllAsync(ISource source, ISourceContext context)
    {
        var records = new List<Record>();
        await foreach (var record in source.ReadAsync(context, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>Writes the batches, completes the sink and disposes it, as the engine does after a successful read.</summary>
    public static async Task<List<WriteResult>> WriteAllAsync(ISink sink, params IReadOnlyList<Record>[] batches)
    {
        var results = new List<WriteResult>();
        await using (sink)
        {
            foreach (var batch in batches)
            {
                results.Add(await sink.WriteAsync(batch, NullSinkContext.Instance, CancellationToken.None));
            }

            await sink.CompleteAsync(CancellationToken.None);
        }

        return results;
    }
}
