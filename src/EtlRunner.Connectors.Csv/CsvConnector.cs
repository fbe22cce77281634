namespace EtlRunner.Connectors.Csv;

/// <summary>
/// The <c>csv</c> connector: <c>query</c> reads an RFC 4180 file, <c>create</c> writes one.
/// Register it with <see cref="CsvConnectorRegistryExtensions.AddCsv"/>.
/// </summary>
public sealed class CsvConnector : IConnector
{
    public const string TypeName = "csv";

    public ConnectorDescriptor Descriptor { get; } = new(
        TypeName,
        "Comma-separated (or tab-, semicolon-...) text files: read rows as records, write records as rows.",
        CsvParameters.Connection,
        CsvParameters.Activities);

    public IEnumerable<SettingProblem> Validate(ActivityKind kind, Settings connection, Settings activity)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.GetString(CsvParameters.Delimiter) is { } delimiter && CsvConnectionOptions.ParseDelimiter(delimiter) is null)
        {
            yield return new SettingProblem(CsvParameters.Delimiter, CsvConnectionOptions.DelimiterProblem(delimiter));
        }

        if (connection.GetString(CsvParameters.Encoding) is { } encoding && !CsvEncodings.IsKnown(encoding))
        {
            yield return new SettingProblem(CsvParameters.Encoding,
                $"Unknown encoding '{encoding}'. Known encodings: {string.Join(", ", CsvEncodings.Names)}.");
        }
    }

    /// <summary>The file written, by its canonical path.</summary>
    public string? WriteResource(ActivityKind kind, Settings connection, Settings activity) => Resource(connection);

    /// <summary>The file read, as <see cref="WriteResource"/> names it.</summary>
    public string? ReadResource(Settings connection, Settings activity) => Resource(connection);

    private static string Resource(Settings connection) =>
        "CSV file " + State.CanonicalPath.Of(CsvConnectionOptions.From(connection).Path);

    public ISource CreateSource(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CsvSource(CsvConnectionOptions.From(context.Connection));
    }

    public ValueTask<RecordShape?> DiscoverRecordsAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(CsvHeader.Discover(CsvConnectionOptions.From(context.Connection)));
    }

    public ISink CreateSink(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != ActivityKind.Create)
        {
            throw new NotSupportedException($"{Descriptor.DescribeSupportedActivities()}, not {context.Kind.ToName()}.");
        }

        return new CsvSink(CsvConnectionOptions.From(context.Connection), CsvSinkOptions.From(context.Activity), context.Preview);
    }

    public Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(CsvConnectionTester.Test(context));
    }
}
