using EtlRunner.Connectors.Csv;
using EtlRunner.Connectors.Tests.Support;

namespace EtlRunner.Connectors.Tests.Csv;

internal static class CsvTestHelpers
{
    public static Dictionary<string, object?> Connection(string path, string delimiter = ",", bool header = true, string encoding = "utf-8") => new()
    {
        ["path"] = path,
        ["delimiter"] = delimiter,
        ["header"] = header,
        ["encoding"] = encoding,
    };

    /// <summary>Reads every record; <paramref name="context"/> (a new one when null) records the rejects, also when the read throws.</summary>
    public static async Task<(List<Record> Records, RecordingSourceContext Context)> ReadAsync(Dictionary<string, object?> connection, RecordingSourceContext? context = null)
    {
        var connector = new CsvConnector();
        var source = connector.CreateSource(Contexts.Activity(ActivityKind.Query, connection));
        context ??= new RecordingSourceContext();
        await using (source)
        {
            return (await Records.ReadAllAsync(source, context), context);
        }
    }

    public static Task<(List<Record> Records, RecordingSourceContext Context)> ReadAsync(string path, RecordingSourceContext? context = null) => ReadAsync(Connection(path), context);

    public static ISink CreateSink(Dictionary<string, object?> connection, string? mode = null, bool preview = false) =>
        new CsvConnector().CreateSink(Contexts.Activity(ActivityKind.Create, connection, mode is null ? [] : new() { ["mode"] = mode }, preview));
}
