using System.Text;
using System.Text.Json;
using EtlRunner.Connectors;
using EtlRunner.Expressions;

namespace EtlRunner.Execution;

/// <summary>
/// A dry run's <c>--preview FILE</c>: one JSON line per record a previewing target classified, with what the real run
/// would do with it: <c>{"operation","key","action","changed","reason"}</c>, secrets masked. Created (empty) when the
/// run starts, so an old preview never passes for this one's. Thread-safe.
/// </summary>
internal sealed class PreviewFile : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SecretMasker _masker;
    private readonly Lock _gate = new();
    private readonly FileStream _stream; // guarded by _gate

    public PreviewFile(string path, SecretMasker masker)
    {
        _masker = masker;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write the preview file {path}: {ex.Message}; give --preview a path in a folder you can write", ex);
        }
    }

    /// <summary>The words a preview uses for an action: <c>create</c>, <c>update</c>, <c>skip</c>, <c>delete</c>, <c>reject</c>.</summary>
    public static string ActionName(RecordAction action) => action.ToString().ToLowerInvariant();

    public void Append(string operation, IReadOnlyList<RecordPreview> previews)
    {
        var text = new StringBuilder();
        foreach (var preview in previews)
        {
            text.Append(_masker.Apply(Line(operation, preview))).Append('\n');
        }

        lock (_gate)
        {
            try
            {
                _stream.Write(Utf8.GetBytes(text.ToString()));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new IOException($"cannot write the preview file {_stream.Name}: {ex.Message}", ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
        }
    }

    private static string Line(string operation, RecordPreview preview)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("operation", operation);
            json.WriteString("key", preview.Key);
            json.WriteString("action", ActionName(preview.Action));
            json.WritePropertyName("changed");
            if (preview.ChangedFields is { } changed)
            {
                json.WriteStartArray();
                changed.ToList().ForEach(json.WriteStringValue);
                json.WriteEndArray();
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteString("reason", preview.Reason);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
