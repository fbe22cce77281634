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

    public CsvSink(CsvConnectionOptions options, CsvSinkOptions sinkOptions)
    {
        _options = options;
        _sinkOptions = sinkOptions;
    }

    /// <summary>Rows are buffered and (in overwrite mode) renamed into place at the end: a batch is not durable on its own.</summary>
    public bool DurableBatches => false;

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
            cancellationToken.ThrowIfCancellationRequested();
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
