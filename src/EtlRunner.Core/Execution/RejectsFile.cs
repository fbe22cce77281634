using System.Text.Json;
using EtlRunner.Connectors;

namespace EtlRunner.Execution;

/// <summary>The records of a rejects file, as a source for <c>etl replay</c>.</summary>
public sealed class RejectsFile
{
    private RejectsFile(string path, string operation, IReadOnlyList<Record> records, int unreplayable, int? tornLine)
    {
        Path = path;
        Operation = operation;
        Records = records;
        Unreplayable = unreplayable;
        TornLine = tornLine;
    }

    public string Path { get; }

    /// <summary>The operation the records were rejected by.</summary>
    public string Operation { get; }

    /// <summary>The records to send through the transform and target again (source records where kept).</summary>
    public IReadOnlyList<Record> Records { get; }

    /// <summary>Lines rejected while reading (malformed rows): there is no record to replay; fix the source instead.</summary>
    public int Unreplayable { get; }

    /// <summary>
    /// The number of a last line that is not whole (the run was killed while writing it), which was ignored; its record is
    /// not in this file (the run that resumes the operation sends it again), or null.
    /// </summary>
    public int? TornLine { get; }

    public static RejectsFile Read(string path) => Parse(path, File.ReadAllLines(path));

    /// <summary>
    /// The records of rejects lines, from a file or kept elsewhere (an agent group's, in PostgreSQL): <paramref name="path"/>
    /// names them in messages.
    /// </summary>
    public static RejectsFile Parse(string path, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var records = new List<Record>();
        var operations = new HashSet<string>(StringComparer.Ordinal);
        var unreplayable = 0;
        var last = lines.Count - 1;
        while (last >= 0 && string.IsNullOrWhiteSpace(lines[last]))
        {
            last--;
        }

        int? torn = last >= 0 && IsTorn(lines[last]) ? last + 1 : null;
        for (var i = 0; i < (torn - 1 ?? lines.Count); i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = ParseLine(path, i + 1, line);
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

        return new RejectsFile(path, operations.Single(), records, unreplayable, torn);
    }

    /// <summary>The start of a line the engine was writing when it was killed: an object that never closes.</summary>
    private static bool IsTorn(string line)
    {
        if (!line.StartsWith("{\"", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var _ = JsonDocument.Parse(line);
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
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
