using System.Text;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// The file a csv target writes. <c>overwrite</c> writes a temporary file beside the target and
/// renames it over the target in <see cref="Commit"/>, so a failed run never leaves a half-written
/// file (the temp file is removed on every failure path); <c>append</c> writes at the end of the target itself, and
/// <see cref="Flush"/> puts each batch in the file so the write ledger can record how far it reaches.
/// </summary>
internal sealed class CsvOutputFile : IDisposable
{
    /// <summary>RFC 4180 ends records with CRLF, and so does CsvHelper's writer by default.</summary>
    private const string LineBreak = "\r\n";

    private readonly string _targetPath;
    private readonly string? _tempPath;
    private readonly FileStream _stream;
    private bool _committed;

    private CsvOutputFile(string targetPath, string? tempPath, FileStream stream, CsvConnectionOptions options, IReadOnlyList<string>? existingColumns)
    {
        _targetPath = targetPath;
        _tempPath = tempPath;
        _stream = stream;
        ExistingColumns = existingColumns;
        try
        {
            Writer = CreateWriter(stream, options);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public CsvWriter Writer { get; } = null!;

    /// <summary>The columns of the file being appended to (from its header), or <c>null</c> when it is new or empty.</summary>
    public IReadOnlyList<string>? ExistingColumns { get; }

    /// <summary>Whether the file has rows already, so a header must not be written.</summary>
    public bool HasContent { get; private init; }

    public static CsvOutputFile Open(CsvConnectionOptions options, bool append)
    {
        var folder = Path.GetDirectoryName(options.Path) ?? ".";
        try
        {
            Directory.CreateDirectory(folder);
            if (!append)
            {
                var tempPath = Path.Combine(folder, $".{options.FileName}.{Guid.NewGuid():N}.tmp");
                var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                return new CsvOutputFile(options.Path, tempPath, stream, options, null);
            }

            var hasContent = File.Exists(options.Path) && new FileInfo(options.Path).Length > 0;
            var columns = hasContent && options.HasHeader ? ReadHeader(options) : null;
            var needsLineBreak = hasContent && !CsvFileEnd.EndsWithLineBreak(options.Path, options.Encoding);
            var appendStream = new FileStream(options.Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            if (needsLineBreak)
            {
                appendStream.Write(options.Encoding.GetBytes(LineBreak));
            }

            return new CsvOutputFile(options.Path, null, appendStream, options, columns) { HasContent = hasContent };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw CsvErrors.CannotWrite(options.Path, ex);
        }
    }

    /// <summary>Puts every row written so far in the file; returns the file's length.</summary>
    public long Flush()
    {
        try
        {
            Writer.Flush();
            _stream.Flush();
            return _stream.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw CsvErrors.CannotWrite(_tempPath ?? _targetPath, ex);
        }
    }

    /// <summary>Cuts the file at <paramref name="path"/> back to <paramref name="length"/> bytes, if it is longer (before it is opened).</summary>
    public static void Truncate(string path, long length)
    {
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length > length)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
                stream.SetLength(length);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw CsvErrors.CannotWrite(path, ex);
        }
    }

    /// <summary>Flushes and closes the file; in overwrite mode, renames it over the target.</summary>
    public void Commit()
    {
        try
        {
            Writer.Dispose();
            if (_tempPath is not null)
            {
                File.Move(_tempPath, _targetPath, overwrite: true);
            }

            _committed = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw CsvErrors.CannotWrite(_targetPath, ex);
        }
    }

    public void Dispose()
    {
        try
        {
            Writer?.Dispose();
            _stream.Dispose();
        }
        catch (Exception)
        {
            // Failing already (a full disk: IOException, or ArgumentException past a file size limit): what could not
            // be flushed is lost, and an uncommitted temp file goes anyway.
        }
        finally
        {
            if (!_committed && _tempPath is not null)
            {
                File.Delete(_tempPath);
            }
        }
    }

    private static CsvWriter CreateWriter(FileStream stream, CsvConnectionOptions options)
    {
        var writerOptions = new CsvWriterOptions
        {
            Separator = options.Separator,
            TrueValue = "true",
            FalseValue = "false",
            NewLine = LineBreak,
            ValidateFieldCount = false,
        };
        return CsvEncodings.IsUtf8(options.Encoding)
            ? CsvWriter.Create(stream, writerOptions, leaveOpen: false)
            : CsvWriter.Create(new StreamWriter(stream, options.Encoding), writerOptions, leaveOpen: false);
    }

    /// <summary>The columns an append to the file keeps (its header), read only; null when it is new or empty, or has no header.</summary>
    public static IReadOnlyList<string>? ColumnsOf(CsvConnectionOptions options)
    {
        try
        {
            return File.Exists(options.Path) && new FileInfo(options.Path).Length > 0 && options.HasHeader && ReadHeader(options) is { Length: > 0 } header ? header : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CsvErrors.CannotWrite(options.Path, ex);
        }
    }

    private static string[] ReadHeader(CsvConnectionOptions options)
    {
        using var reader = CsvReader.FromFile(options.Path, CsvReaderSettings.For(options));
        if (!reader.Read())
        {
            return [];
        }

        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetString(i);
        }

        return [.. CsvHeader.FromNames(names).Names];
    }
}
