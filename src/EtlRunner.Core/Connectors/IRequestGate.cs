namespace EtlRunner.Connectors;

/// <summary>
/// An API account's limits shared by everyone who sends to it: request slots paced to <see cref="RequestLimits.PerSecond"/>
/// and a count of the day's requests. Without a gate (<see cref="ConnectionContext.RequestGate"/> null) a connector
/// paces and counts within its own run; an agent group passes one kept in PostgreSQL, so the agents together stay
/// within the account's limits.
/// </summary>
public interface IRequestGate
{
    /// <summary>
    /// Waits for a request slot of <paramref name="account"/>: at most <see cref="RequestLimits.Permits"/> slots are taken
    /// or were freed within the last <see cref="RequestLimits.Window"/>, across every holder of the gate. The slot is
    /// held until the returned handle is disposed (the answer came back) and frees one window later; a holder that never
    /// gives it back (it died) loses it <see cref="RequestLimits.Hold"/> after it took it.
    /// </summary>
    ValueTask<IDisposable> TakeSlotAsync(string account, RequestLimits limits, CancellationToken cancellationToken);

    /// <summary>Counts one request against the account's budget for <paramref name="day"/> (UTC); false, counting nothing, when <paramref name="dailyLimit"/> is used up.</summary>
    bool TryCountRequest(string account, DateOnly day, long dailyLimit);
}

/// <summary>How many requests an account takes: <see cref="Permits"/> in any <see cref="Window"/>; a slot is held at most <see cref="Hold"/>.</summary>
public sealed record RequestLimits(int Permits, TimeSpan Window, TimeSpan Hold)
{
    /// <summary>At most <paramref name="requestsPerSecond"/> in any 1-second window: floor(rate) per second, or one per 1/rate seconds below 1 per second.</summary>
    public static RequestLimits PerSecond(double requestsPerSecond, TimeSpan hold)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        var permits = Math.Max(1, (int)Math.Floor(requestsPerSecond));
        return new RequestLimits(permits, TimeSpan.FromSeconds(Math.Max(1.0, permits / requestsPerSecond)), hold);
    }
}
