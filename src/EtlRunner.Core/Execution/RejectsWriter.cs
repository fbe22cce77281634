using System.Text;
using System.Text.Json;
using EtlRunner.Connectors;
using EtlRunner.Expressions;

namespace EtlRunner.Execution;

/// <summary>
/// Appends rejected records, with their reason, to a JSON Lines file (one per run and operation). The file is
/// created at the first reject; secrets are masked in every line. Thread-safe.
/// </summary>
internal sealed class RejectsWriter : IAsyncDisposable
{
    private readonly string _path;
    private readonly string _operation;
    private readonly SecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private StreamWriter? _writer;

    public RejectsWriter(string path, string operation, SecretMasker masker, TimeProvider time)
    {
        _path = path;
        _operation = operation;
        _masker = masker;
        _time = time;
    }

    /// <summary>The file path, once something was rejected.</summary>
    public string? FilePath => _writer is null ? null : _path;

    public void Write(string stage, Record record, string reason, string? code = null) =>
        Append(stage, record.Origin, reason, code, w => WriteRecord(w, record));

    public void WriteRaw(string stage, string origin, string rawText, string reason) =>
        Append(stage, origin, reason, null, w => w.WriteString("raw", rawText));

    private void Append(string stage, string? origin, string reason, string? code, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", SystemVariables.Format(_time.GetUtcNow()));
            json.WriteString("operation", _operation);
            json.WriteString("stage", stage);
            if (origin is not null)
            {
                json.WriteString("origin", origin);
            }

            json.WriteString("reason", reason);
            if (code is not null)
            {
                json.WriteString("code", code);
            }

            body(json);
            json.WriteEndObject();
        }

        var line = _masker.Apply(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        lock (_gate)
        {
            if (_writer is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                _writer = new StreamWriter(_path, append: true, new UTF8Encoding(false));
            }

            _writer.WriteLine(line);
        }
    }

    private static void WriteRecord(Utf8JsonWriter json, Record record)
    {
        json.WritePropertyName("record");
        JsonValues.Write(json, record);
        if (record.Source is { } source)
        {
            // What the source gave, before the transform: what `etl replay` sends through the transform again.
            json.WritePropertyName("source");
            JsonValues.Write(json, source);
        }
    }

    public async ValueTask DisposeAsync()
    {
        StreamWriter? writer;
        lock (_gate)
        {
            writer = _writer;
        }

        if (writer is not null)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
