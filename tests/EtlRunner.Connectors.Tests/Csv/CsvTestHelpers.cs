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

    /// <summary>The context of the last <see cref="ReadAsync(Dictionary{string, object?})"/>, for a read that threw.</summary>
    public static RecordingSourceContext? LastContext { get; private set; }

    public static async Task<(List<Record> Records, RecordingSourceContext Context)> ReadAsync(Dictionary<string, object?> connection)
    {
        var connector = new CsvConnector();
        var source = connector.CreateSource(Contexts.Activity(ActivityKind.Query, connection));
        var context = LastContext = new RecordingSourceContext();
        await using (source)
        {
            return (await Records.ReadAllAsync(source, context), context);
        }
    }

    public static Task<(List<Record> Records, RecordingSourceContext Context)> ReadAsync(string path) => ReadAsync(Connection(path));

    public static ISink CreateSink(Dictionary<string, object?> connection, string? mode = null) =>
        new CsvConnector().CreateSink(Contexts.Activity(ActivityKind.Create, connection, mode is null ? [] : new() { ["mode"] = mode }));
}
