using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Turns the reader's current row into a record, or rejects it. The per-row hot path: compiled fully
/// optimized from the first call, since a run reads a file once and would otherwise spend its first
/// part in unoptimized code.
/// </summary>
internal sealed class CsvRecordReader
{
    private const long ProgressEvery = 64 * 1024;
    private const int MaxRawTextBytes = 1024 * 1024;

    private readonly CsvConnectionOptions _options;
    private readonly CsvRowProblems _problems;
    private readonly ISourceContext _context;
    private readonly long _length;
    private readonly bool _checkUtf8;
    private readonly string _originPrefix;
    private RecordSchema? _schema;
    private long _reported;

    public CsvRecordReader(CsvConnectionOptions options, CsvRowProblems problems, ISourceContext context, long length)
    {
        _options = options;
        _problems = problems;
        _context = context;
        _length = length;
        _checkUtf8 = CsvEncodings.IsUtf8(options.Encoding);
        _originPrefix = options.FileName + ":";
    }

    /// <summary>The record of the current row; <c>null</c> for the header and for a row that was rejected.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Record? Read(CsvReader reader)
    {
        var line = reader.LineNumber;
        var problem = _problems.QuotingProblem(line);
        if (_schema is null)
        {
            _schema = _options.HasHeader ? CsvHeader.FromNames(Fields(reader)) : CsvHeader.Numbered(reader.FieldCount);
            if (_options.HasHeader)
            {
                return null;
            }
        }

        problem ??= FindProblem(reader, line);
        if (problem is not null)
        {
            _context.RejectRead(string.Create(CultureInfo.InvariantCulture, $"{_originPrefix}{line}"), RawText(reader), problem);
            if (_problems.SwallowedRest)
            {
                var swallowed = reader.RawRecord;
                throw CsvErrors.UnterminatedQuote(_options.FileName, line, swallowed.Count((byte)'\n') + (swallowed.EndsWith("\n"u8) ? 0 : 1));
            }

            return null;
        }

        var values = new object?[_schema.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetString(i);
        }

        if (reader.ByteOffset - _reported >= ProgressEvery)
        {
            _reported = reader.ByteOffset;
            _context.ReportProgress(_reported, _length);
        }

        return new Record(_schema, values, _originPrefix, line);
    }

    private string? FindProblem(CsvReader reader, long line)
    {
        if (reader.FieldCount != _schema!.Count)
        {
            return CsvRowProblems.FieldCount(line, _schema.Count, reader.FieldCount);
        }

        var raw = reader.RawRecord;
        var valid = _checkUtf8 ? Utf8.IsValid(raw) : raw.IndexOf("\uFFFD"u8) < 0;
        return valid ? null : CsvRowProblems.InvalidBytes(line, _options.Encoding.WebName);
    }

    /// <summary>The fields of the reader's current row, as text.</summary>
    public static string[] Fields(CsvReader reader)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetString(i);
        }

        return names;
    }

    private static string RawText(CsvReader reader)
    {
        var raw = reader.RawRecord;
        return raw.Length <= MaxRawTextBytes
            ? Encoding.UTF8.GetString(raw)
            : Encoding.UTF8.GetString(raw[..MaxRawTextBytes]) + "…";
    }
}
