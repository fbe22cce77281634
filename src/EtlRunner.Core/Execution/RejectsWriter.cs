using System.Text;
using System.Text.Json;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.State;

namespace EtlRunner.Execution;

/// <summary>
/// Appends rejected records, with their reason, to a JSON Lines file (one per run and operation), or, when the state
/// store keeps rejects (<see cref="IStateStore.Rejects"/>, an agent group's PostgreSQL), to the store's lines of the
/// run's operation. The file is created at the first reject; secrets are masked in every line. Thread-safe.
/// </summary>
/// <remarks>
/// A file that cannot be written (its folder is a file, the disk is full) never throws into a stage: the first failure
/// is handed to <c>failed</c>, a message with the path and the OS error and the exception (the operation stops on it), and
/// later lines are dropped.
/// <see cref="Length"/> and <see cref="Flush"/> let the engine confirm a batch in the write ledger only once its rejects
/// are on disk, and cut an interrupted run's file back to what it confirmed (<see cref="CutBack"/>).
/// With a store, lines are held in memory until a batch's confirmation carries them into the store in the ledger's
/// own transaction (<see cref="Commit"/>), so they become durable together, under the same fencing token; lines no
/// confirmation carries (records left when the operation stopped) are stored when the writer is disposed, or once
/// <see cref="MaxHeld"/> are waiting. <see cref="Length"/> then counts lines, not bytes.
/// </remarks>
internal sealed class RejectsWriter : IAsyncDisposable
{
    /// <summary>With a store: lines held in memory past this are stored at once (the ledger's mark still cuts them back after a kill).</summary>
    public const int MaxHeld = 5_000;

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

    // With a store: the lines not stored yet, and how many are stored (null until known). Store writes are serialised
    // by _storing, taken before _gate.
    private readonly IRejectsStore? _store;
    private readonly string _pipeline = string.Empty;
    private readonly string _runId = string.Empty;
    private readonly Lock _storing = new();
    private readonly List<string> _held = []; // guarded by _gate
    private long? _stored; // guarded by _gate
    private long? _cutTo; // guarded by _gate: this run's earlier lines were cut back to it

    public RejectsWriter(string path, string operation, SecretMasker masker, TimeProvider time, Action<string, Exception> failed)
    {
        _path = path;
        _operation = operation;
        _masker = masker;
        _time = time;
        _failed = failed;
    }

    /// <summary>A writer into <paramref name="store"/>'s lines of <paramref name="runId"/>'s operation.</summary>
    public RejectsWriter(IRejectsStore store, string pipeline, string runId, string operation, SecretMasker masker, TimeProvider time, Action<string, Exception> failed)
        : this(store.Describe(runId, operation), operation, masker, time, failed)
    {
        (_store, _pipeline, _runId) = (store, pipeline, runId);
    }

    /// <summary>The writer of an operation of <paramref name="run"/>: into the state store when it keeps rejects, else into the run's rejects file.</summary>
    public static RejectsWriter Open(RunContext run, string operation, TimeProvider time, Action<string, Exception> failed) =>
        run.Options.State?.Rejects is { } store
            ? new RejectsWriter(store, run.PipelineKey, run.RunId, operation, run.Masker, time, failed)
            : new RejectsWriter(run.RejectsPath(operation), operation, run.Masker, time, failed);

    /// <summary>True when the lines go to the state store (<see cref="IStateStore.Rejects"/>), not to a file.</summary>
    public bool Stores => _store is not null;

    /// <summary>The file path (or, with a store, where the lines are), once something was rejected.</summary>
    public string? FilePath => Volatile.Read(ref _created) ? _path : null;

    /// <summary>True once the file could not be written: nothing rejected since is on disk.</summary>
    public bool Failed => Volatile.Read(ref _failure) is not null;

    /// <summary>The file's length in bytes with every line appended so far (flushed or not); with a store, the number of lines.</summary>
    public long Length
    {
        get
        {
            if (_store is not null)
            {
                return StoredLength() + HeldCount();
            }

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

        if (_store is not null)
        {
            Hold(lines);
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
        if (_store is not null)
        {
            return !Failed; // the lines become durable with the batch's confirmation (Commit)
        }

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

    /// <summary>
    /// Cuts the rejects of an earlier run (<paramref name="runId"/>; this run's own when it resumes one) back to
    /// <paramref name="length"/>, what its write ledger confirmed: the file <paramref name="pathOfRun"/> names, or the
    /// store's lines.
    /// </summary>
    public void CutBack(string runId, long length, Func<string, string> pathOfRun)
    {
        if (_store is null)
        {
            Truncate(pathOfRun(runId), length);
            return;
        }

        _store.Cut(runId, _operation, length);
        if (runId == _runId)
        {
            lock (_gate)
            {
                (_cutTo, _stored) = (length, null);
            }
        }
    }

    /// <summary>
    /// With a store: runs <paramref name="write"/> with the lines held (not stored yet) and the length they bring the
    /// run's lines to, in order with every other store write; once it returns, they count as stored. A write that
    /// throws (the lease was lost) leaves them held. Without a store, nothing happens.
    /// </summary>
    public void Commit(Action<IReadOnlyList<string>, long> write)
    {
        if (_store is null)
        {
            return;
        }

        lock (_storing)
        {
            var stored = StoredLength();
            string[] lines;
            lock (_gate)
            {
                lines = [.. _held];
            }

            write(lines, stored + lines.Length);
            lock (_gate)
            {
                _held.RemoveRange(0, lines.Length);
                _stored = stored + lines.Length;
            }
        }
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

    private void Hold(IReadOnlyList<string> lines)
    {
        bool full;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            _created = true;
            _held.AddRange(lines);
            full = _held.Count >= MaxHeld;
        }

        if (full)
        {
            Store();
        }
    }

    /// <summary>Stores the lines held (fenced like every write of the run); a store that refuses fails the writer as a full disk would.</summary>
    private void Store()
    {
        try
        {
            Commit((lines, length) =>
            {
                if (lines.Count > 0)
                {
                    _store!.Append(_pipeline, _runId, _operation, length - lines.Count, lines);
                }
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The state store's own failure (PostgreSQL unreachable, the lease lost): the operation stops on it.
            Exception failure;
            lock (_gate)
            {
                failure = Fail(ex);
            }

            Report(failure);
        }
    }

    /// <summary>
    /// The lines of this run's operation in the store. Found at first use: after a cut (a resumed run), what is left;
    /// otherwise none: what an interrupted attempt left without a ledger to cut it back is deleted, since the operation
    /// starts over.
    /// </summary>
    private long StoredLength()
    {
        lock (_gate)
        {
            if (_stored is { } known)
            {
                return known;
            }
        }

        lock (_storing)
        {
            long? cutTo;
            lock (_gate)
            {
                if (_stored is { } known)
                {
                    return known;
                }

                cutTo = _cutTo;
            }

            long stored = 0;
            if (cutTo is null)
            {
                _store!.Cut(_runId, _operation, 0);
            }
            else
            {
                stored = _store!.Count(_runId, _operation);
            }

            lock (_gate)
            {
                _stored = stored;
            }

            return stored;
        }
    }

    private int HeldCount()
    {
        lock (_gate)
        {
            return _held.Count;
        }
    }

    /// <summary>The OS refused a write: no folder or space, no permission, or past the file system's size limit (EFBIG, an ArgumentException).</summary>
    private static bool IsWriteFailure(Exception ex) => ex is IOException or UnauthorizedAccessException or ArgumentException;

    /// <summary>Records the first failure (under the lock); the caller reports it once the lock is released.</summary>
    private Exception Fail(Exception ex)
    {
        _failure = _store is null ? $"cannot write the rejects file {_path}: {ex.Message}"
            : ex is LeaseLostException ? ex.Message
            : $"cannot write the rejects to {_path}: {ex.Message}";
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
        if (_store is not null)
        {
            if (!Failed)
            {
                Store(); // also when nothing was rejected: an interrupted attempt's lines go (see StoredLength)
            }

            return ValueTask.CompletedTask;
        }

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
