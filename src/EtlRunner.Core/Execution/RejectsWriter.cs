using System.Text;
using System.Text.Json;
using EtlRunner.Connectors;
using EtlRunner.Expressions;

namespace EtlRunner.Execution;

/// <summary>
/// Appends rejected records, with their reason, to a JSON Lines file (one per run and operation). The file is
/// created at the first reject; secrets are masked in every line. Thread-safe.
/// </summary>
/// <remarks>
/// A file that cannot be written (its folder is a file, the disk is full) never throws into a stage: the first failure
/// is handed to <c>failed</c>, a message with the path and the OS error and the exception (the operation stops on it), and
/// later lines are dropped.
/// <see cref="Length"/> and <see cref="Flush"/> let the engine confirm a batch in the write ledger only once its rejects
/// are on disk, and cut an interrupted run's file back to what it confirmed (<see cref="Truncate"/>).
/// </remarks>
internal sealed class RejectsWriter : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly string _path;
    private readonly string _operation;
    private readonly SecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly Action<string, Exception> _failed;
    private readonly Lock _gate = new();
    private FileStream? _stream; // guarded by _gate
    private string? _failure; // guarded by _gate
    private bool _created; // guarded by _gate
    private bool _unflushed; // guarded by _gate

    public RejectsWriter(string path, string operation, SecretMasker masker, TimeProvider time, Action<string, Exception> failed)
    {
        _path = path;
        _operation = operation;
        _masker = masker;
        _time = time;
        _failed = failed;
    }

    /// <summary>The file path, once something was rejected.</summary>
    public string? FilePath => Volatile.Read(ref _created) ? _path : null;

    /// <summary>True once the file could not be written: nothing rejected since is on disk.</summary>
    public bool Failed => Volatile.Read(ref _failure) is not null;

    /// <summary>The file's length in bytes with every line appended so far (flushed or not).</summary>
    public long Length
    {
        get
        {
            lock (_gate)
            {
                return _stream?.Position ?? (File.Exists(_path) ? new FileInfo(_path).Length : 0);
            }
        }
    }

    /// <summary>The line for a rejected record, to append later (with the batch it belongs to).</summary>
    public string Line(string stage, Record record, string reason, string? code = null) =>
        Format(stage, record.Origin, reason, code, w => WriteRecord(w, record));

    /// <summary>The line for input that never became a record (a malformed row).</summary>
    public string RawLine(string stage, string origin, string rawText, string reason) =>
        Format(stage, origin, reason, null, w => w.WriteString("raw", rawText));

    public void Append(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        Exception? failure = null;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            try
            {
                if (_stream is null)
                {
                    _created = true;
                    Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                    _stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
                }

                foreach (var line in lines)
                {
                    _stream.Write(Utf8.GetBytes(line + "\n"));
                }

                _unflushed = true;
            }
            catch (Exception ex) when (IsWriteFailure(ex))
            {
                failure = Fail(ex);
            }
        }

        Report(failure);
    }

    /// <summary>Makes every line appended so far durable (written and fsynced); false when the file cannot be written.</summary>
    public bool Flush()
    {
        Exception? failure = null;
        lock (_gate)
        {
            try
            {
                if (_unflushed)
                {
                    _stream?.Flush(flushToDisk: true);
                    _unflushed = false;
                }
            }
            catch (Exception ex) when (IsWriteFailure(ex))
            {
                failure = Fail(ex);
            }
        }

        Report(failure);
        return !Failed;
    }

    /// <summary>Cuts a rejects file back to <paramref name="length"/> bytes (what an interrupted run had confirmed), if it is longer.</summary>
    public static void Truncate(string path, long length)
    {
        if (!File.Exists(path) || new FileInfo(path).Length <= length)
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(length);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The OS refused a write: no folder or space, no permission, or past the file system's size limit (EFBIG, an ArgumentException).</summary>
    private static bool IsWriteFailure(Exception ex) => ex is IOException or UnauthorizedAccessException or ArgumentException;

    /// <summary>Records the first failure (under the lock); the caller reports it once the lock is released.</summary>
    private Exception Fail(Exception ex)
    {
        _failure = $"cannot write the rejects file {_path}: {ex.Message}";
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // Already failing: the buffered lines are lost with the file.
        }

        _stream = null;
        return ex;
    }

    private void Report(Exception? failure)
    {
        if (failure is not null)
        {
            _failed(Volatile.Read(ref _failure)!, failure);
        }
    }

    private string Format(string stage, string? origin, string reason, string? code, Action<Utf8JsonWriter> body)
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

        return _masker.Apply(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
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

    public ValueTask DisposeAsync()
    {
        Exception? failure = null;
        lock (_gate)
        {
            try
            {
                _stream?.Dispose();
            }
            catch (Exception ex) when (IsWriteFailure(ex))
            {
                failure = Fail(ex);
            }

            _stream = null;
        }

        Report(failure);
        return ValueTask.CompletedTask;
    }
}
