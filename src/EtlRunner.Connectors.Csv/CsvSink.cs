using System.Runtime.CompilerServices;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Writes records as rows of a CSV file (the <c>create</c> activity). The columns are the fields of
/// the first record (or the header of the file being appended to); later records are written by
/// field name.
/// </summary>
/// <remarks>
/// A preview (a dry run) opens nothing for writing: it takes the columns as the write would (the header of the file
/// appended to, read only, or the first record's fields) and says each record would be created, or rejected with the
/// write's reason.
/// </remarks>
internal sealed class CsvSink : ISink
{
    private readonly CsvConnectionOptions _options;
    private readonly CsvSinkOptions _sinkOptions;
    private readonly bool _preview;
    private readonly Dictionary<RecordSchema, CsvFieldMap> _maps = [];
    private CsvOutputFile? _file;
    private IReadOnlyList<string>? _columns;
    private RecordSchema? _lastSchema;
    private CsvFieldMap? _lastMap;
    private long? _length;

    public CsvSink(CsvConnectionOptions options, CsvSinkOptions sinkOptions, bool preview = false)
    {
        _options = options;
        _sinkOptions = sinkOptions;
        _preview = preview;
    }

    public bool CanPreview => true;

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

        if (_preview)
        {
            return ValueTask.FromResult(Preview(batch));
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
                CsvValueWriter.Write(writer, record, index);
            }

            writer.EndRecord();
            written++;
        }

        if (_sinkOptions.Append)
        {
            _length = file.Flush();
        }

        return ValueTask.FromResult(new WriteResult(written, 0, rejected) { Kinds = new WriteKinds(written, 0, 0, 0) });
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_preview)
        {
            return ValueTask.CompletedTask;
        }

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

    /// <summary>What <see cref="WriteAsync"/> would do with the batch: create each record, or reject it for the same reason.</summary>
    private WriteResult Preview(IReadOnlyList<Record> batch)
    {
        _columns ??= _sinkOptions.Append ? CsvOutputFile.ColumnsOf(_options) ?? batch[0].Schema.Names : batch[0].Schema.Names;
        var previews = new List<RecordPreview>(batch.Count);
        List<RejectedRecord>? rejected = null;
        foreach (var record in batch)
        {
            var map = MapFor(record.Schema);
            if (map.RejectReason is not null)
            {
                (rejected ??= []).Add(new RejectedRecord(record, map.RejectReason) { Code = "unknown_field" });
            }

            previews.Add(new RecordPreview(record, map.RejectReason is null ? RecordAction.Create : RecordAction.Reject) { Reason = map.RejectReason });
        }

        var created = batch.Count - (rejected?.Count ?? 0);
        return new WriteResult(created, 0, rejected) { Kinds = new WriteKinds(created, 0, 0, 0), Previews = previews };
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
