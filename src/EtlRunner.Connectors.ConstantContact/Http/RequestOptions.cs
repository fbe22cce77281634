namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>How one call reports waits (retry backoff, polling) to the operation that made it, and whether it retries.</summary>
internal sealed record RequestOptions(Action<string?>? ReportWaiting = null, bool Retry = true)
{
    public static RequestOptions Default { get; } = new();

    /// <summary>One attempt only (the Test button should answer at once).</summary>
    public static RequestOptions NoRetry { get; } = new(null, Retry: false);
}
