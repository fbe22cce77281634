namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// Knobs that are not user settings: the HTTP handler seam and the timing of backoff and polling. Production uses
/// <see cref="Default"/>; tests shorten the delays and may inject a handler.
/// </summary>
internal sealed record ConstantContactTuning
{
    public static ConstantContactTuning Default { get; } = new();

    /// <summary>Creates the innermost HTTP handler; null for a <see cref="SocketsHttpHandler"/>.</summary>
    public Func<HttpMessageHandler>? CreateHandler { get; init; }

    /// <summary>The first retry waits about this long (exponential with jitter after that).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is cut to it.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first poll of a bulk activity comes this long after it was accepted; the interval then grows.</summary>
    public TimeSpan PollInitialInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PollMaxInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Up to this many unknown emails are looked up one by one; more and the contact list may be read once instead.</summary>
    public int IndividualLookupLimit { get; init; } = 3;
}
