namespace EtlRunner.Connectors;

/// <summary>
/// The source side of an operation (a <c>query</c> activity). Stream records; the engine applies
/// backpressure through a bounded channel, so never buffer the whole input.
/// </summary>
/// <remarks>
/// A record that cannot be read (a malformed CSV row) is reported through
/// <see cref="ISourceContext.RejectRead"/> and reading goes on. Anything that stops the whole read
/// (file missing, 401) is thrown; the engine classifies and reports it.
/// </remarks>
public interface ISource : IAsyncDisposable
{
    IAsyncEnumerable<Record> ReadAsync(ISourceContext context, CancellationToken cancellationToken);
}

/// <summary>What a source may tell the engine while it reads.</summary>
public interface ISourceContext
{
    /// <summary>Counts a record as read and rejected, and writes it to the rejects file with the reason.</summary>
    void RejectRead(string origin, string rawText, string reason);

    /// <summary>Reports how far the read has come, for progress: bytes of a file, contacts of a total count.</summary>
    void ReportProgress(long position, long? total);

    /// <summary>Shows why the source is waiting (rate limit, retry backoff); <c>null</c> clears it.</summary>
    void ReportWaiting(string? reason);
}
