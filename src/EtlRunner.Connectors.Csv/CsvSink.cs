using System.Runtime.CompilerServices;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Writes records as rows of a CSV file (the <c>create</c> activity). The columns are the fields of
/// the first record (or the header of the file being appended to); later records are written by
/// field name.
/// </summary>
internal sealed class CsvSink : ISink
{
    private readonly CsvConnectionOptions _options;
    private readonly CsvSinkOptions _sinkOptions;
    private readonly Dictionary<RecordSchema, CsvFieldMap> _maps = [];
    private CsvOutputFile? _file;
    private IReadOnlyList<string>? _columns;
    private RecordSchema? _lastSchema;
    private CsvFieldMap? _lastMap;
    private long? _length;

    public CsvSink(CsvConnectionOptions options, CsvSinkOptions sinkOptions)
    {
        _options = options;
        _sinkOptions = sinkOptions;
    }

    /// <summary>
    /// In append mode each batch is in the file when <see cref="WriteAsync"/> returns, and the ledger keeps the file's
    /// length (<see cref="Position"/>); in overwrite mode rows go to a temp file renamed into place at the end, so a batch
    /// is not durable on its own.
    /// </summary>
    public bool DurableBatches => _sinkOptions.Append;

    public long? Position => !_sinkOptions.Append ? null
        : _length ?? (File.Exists(_options.Path) ? new FileInfo(_options.Path).Length : 0);

    public void Rewind(long position)
    {
        if (_sinkOptions.Append && _file is null)
        {
            CsvOutputFile.Truncate(_options.Path, position);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return ValueTask.FromResult(WriteResult.AllWritten(0));
        }

        var file = _file ??= CsvOutputFile.Open(_options, _sinkOptions.Append);
        _columns ??= StartColumns(file, batch[0].Schema);
        var writer = file.Writer;
        var written = 0;
        List<RejectedRecord>? rejected = null;
        foreach (var record in batch)
        {
            // No cancellation check per row: in append mode a batch lands whole or (the process killed) is cut back on resume.
            var map = MapFor(record.Schema);
            if (map.RejectReason is not null)
            {
                (rejected ??= []).Add(new RejectedRecord(record, map.RejectReason) { Code = "unknown_field" });
                continue;
            }

            foreach (var index in map.FieldIndexes)
            {
                CsvValueWriter.Write(writer, index < 0 ? null : record.GetValue(index));
            }

            writer.EndRecord();
            written++;
        }

        if (_sinkOptions.Append)
        {
            _length = file.Flush();
        }

        return ValueTask.FromResult(new WriteResult(written, 0, rejected));
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        var file = _file ??= CsvOutputFile.Open(_options, _sinkOptions.Append);
        file.Commit();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _file?.Dispose();
        _file = null;
        return ValueTask.CompletedTask;
    }

    private IReadOnlyList<string> StartColumns(CsvOutputFile file, RecordSchema first)
    {
        if (file.ExistingColumns is { Count: > 0 } existing)
        {
            return existing;
        }

        if (_options.HasHeader && !file.HasContent)
        {
            foreach (var name in first.Names)
            {
                file.Writer.WriteField(name);
            }

            file.Writer.EndRecord();
        }

        return first.Names;
    }

    private CsvFieldMap MapFor(RecordSchema schema)
    {
        if (ReferenceEquals(schema, _lastSchema))
        {
            return _lastMap!;
        }

        if (!_maps.TryGetValue(schema, out var map))
        {
            map = CsvFieldMap.Create(schema, _columns!, _options.FileName);
            _maps.Add(schema, map);
        }

        _lastSchema = schema;
        _lastMap = map;
        return map;
    }
}
