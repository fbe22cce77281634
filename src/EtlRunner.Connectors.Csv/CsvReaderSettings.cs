using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>The CsvHelper options for reading a csv connection's file.</summary>
internal static class CsvReaderSettings
{
    /// <summary>
    /// RFC 4180 with the connection's separator and encoding. The first line is read as an ordinary
    /// record (the source builds the schema from it), line numbers are tracked for origins and
    /// reasons, ragged rows are returned so the source can reject them with both counts, and
    /// malformed quoting is reported to <paramref name="onMalformed"/>.
    /// </summary>
    public static CsvReaderOptions For(CsvConnectionOptions options, Action<CsvMalformedRecord>? onMalformed = null) => new()
    {
        Separator = options.Separator,
        HasHeader = false,
        Mode = CsvMode.Rfc4180,
        Encoding = CsvEncodings.IsUtf8(options.Encoding) ? null : options.Encoding,
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        OnMalformedRecord = onMalformed,
        DetectSeparatorHint = false,
    };
}
