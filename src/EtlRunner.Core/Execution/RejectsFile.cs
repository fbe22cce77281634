using System.Text.Json;
using EtlRunner.Connectors;

namespace EtlRunner.Execution;

/// <summary>The records of a rejects file, as a source for <c>etl replay</c>.</summary>
public sealed class RejectsFile
{
    private RejectsFile(string path, string operation, IReadOnlyList<Record> records, int unreplayable)
    {
        Path = path;
        Operation = operation;
        Records = records;
        Unreplayable = unreplayable;
    }

    public string Path { get; }

    /// <summary>The operation the records were rejected by.</summary>
    public string Operation { get; }

    /// <summary>The records to send through the transform and target again (source records where kept).</summary>
    public IReadOnlyList<Record> Records { get; }

    /// <summary>Lines rejected while reading (malformed rows): there is no record to replay; fix the source instead.</summary>
    public int Unreplayable { get; }

    public static RejectsFile Read(string path)
    {
        var records = new List<Record>();
        var operations = new HashSet<string>(StringComparer.Ordinal);
        var unreplayable = 0;
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = ParseLine(path, number, line);
            var root = json.RootElement;
            operations.Add(root.TryGetProperty("operation", out var op) ? op.GetString() ?? string.Empty : string.Empty);
            var origin = root.TryGetProperty("origin", out var o) ? o.GetString() : null;
            if (root.TryGetProperty("source", out var source) || root.TryGetProperty("record", out source))
            {
                records.Add(Record.From(((Dictionary<string, object?>)JsonValues.Read(source)!).AsEnumerable(), origin));
            }
            else
            {
                unreplayable++;
            }
        }

        if (operations.Count != 1)
        {
            throw new InvalidDataException($"{path}: a rejects file holds the records of one operation; found {(operations.Count == 0 ? "none" : string.Join(", ", operations))}");
        }

        return new RejectsFile(path, operations.Single(), records, unreplayable);
    }

    private static JsonDocument ParseLine(string path, int number, string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}:{number}: not a rejects line: {ex.Message}", ex);
        }
    }

    /// <summary>The records as a source.</summary>
    public ISource AsSource() => new ReplaySource(Records);

    private sealed class ReplaySource(IReadOnlyList<Record> records) : ISource
    {
        public async IAsyncEnumerable<Record> ReadAsync(ISourceContext context, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < records.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                context.ReportProgress(i + 1, records.Count);
                yield return records[i];
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
