namespace EtlRunner.Connectors;

/// <summary>
/// A connector type (<c>csv</c>, <c>sqlite</c>, <c>constantcontact</c>): it describes what it accepts and
/// creates sources and sinks for operations. Register it with <see cref="ConnectorRegistry"/>.
/// </summary>
public interface IConnector
{
    ConnectorDescriptor Descriptor { get; }

    /// <summary>Checks settings beyond their declared types (e.g. <c>key</c> required for <c>update</c>); return messages, empty when fine.</summary>
    IEnumerable<SettingProblem> Validate(ActivityKind kind, Settings connection, Settings activity) => [];

    /// <summary>
    /// What a target activity of this connection writes, named for the run's resource lock (a file's canonical path, an
    /// account), so that two runs never write it at once; null when there is nothing to lock. It is shown in refusals,
    /// so it never holds a secret.
    /// </summary>
    string? WriteResource(ActivityKind kind, Settings connection, Settings activity) => null;

    /// <summary>
    /// What a <c>query</c> of this connection reads, named exactly as <see cref="WriteResource"/> names what a target
    /// writes, so that a dry run knows which sources read what an upstream target would have written; null when unknown.
    /// </summary>
    string? ReadResource(Settings connection, Settings activity) => null;

    /// <summary>
    /// The fields of the records a <c>query</c> produces, when the settings alone tell them (an API's contract);
    /// null when unknown. <c>etl validate</c> checks expressions against it without connecting.
    /// </summary>
    RecordShape? DescribeRecords(Settings connection, Settings activity) => null;

    /// <summary>
    /// The fields of the records a <c>query</c> will produce, found by opening the source without reading a record
    /// (a CSV header, the columns of a prepared statement); null when unknown. <c>etl test</c> and the start of
    /// <c>etl run</c> check expressions against it. Throw when the source cannot be opened.
    /// </summary>
    ValueTask<RecordShape?> DiscoverRecordsAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DescribeRecords(context.Connection, context.Activity));

    ISource CreateSource(ActivityContext context);

    ISink CreateSink(ActivityContext context);

    /// <summary>The Test button: verify the connection without changing anything.</summary>
    Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken);
}

/// <summary>A problem with one setting, reported by <see cref="IConnector.Validate"/>.</summary>
public sealed record SettingProblem(string Setting, string Message);

/// <summary>The result of <see cref="IConnector.TestAsync"/>.</summary>
public sealed record ConnectionTestResult(bool Success, string Message)
{
    public static ConnectionTestResult Ok(string message) => new(true, message);

    public static ConnectionTestResult Failed(string message) => new(false, message);
}
