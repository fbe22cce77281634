namespace EtlRunner.Sandbox.RateLimiting;

/// <summary>Why a request was refused by the limiter.</summary>
internal enum RateLimitVerdict
{
    Allowed,
    Throttled,
    QuotaExceeded,
}

/// <summary>
/// The API's limits on the sandbox clock: at most N requests in any sliding one-second window (for rates below 1/s,
/// one request per 1/rate seconds) and at most a daily quota per UTC day. Refused requests do not use up either limit.
/// </summary>
internal sealed class RequestRateLimiter
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly TimeProvider _time;
    private readonly int _perWindow;
    private readonly TimeSpan _windowLength;
    private readonly int _daily;
    private DateOnly _day;
    private int _dayCount;

    public RequestRateLimiter(double requestsPerSecond, int dailyLimit, TimeProvider time)
    {
        _time = time;
        _daily = dailyLimit;
        if (requestsPerSecond >= 1)
        {
            _perWindow = (int)Math.Floor(requestsPerSecond);
            _windowLength = TimeSpan.FromSeconds(1);
        }
        else
        {
            _perWindow = 1;
            _windowLength = TimeSpan.FromSeconds(1 / Math.Max(requestsPerSecond, 0.001));
        }
    }

    public RateLimitVerdict TryAcquire()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today != _day)
            {
                _day = today;
                _dayCount = 0;
            }

            if (_dayCount >= _daily)
            {
                return RateLimitVerdict.QuotaExceeded;
            }

            while (_window.Count > 0 && _window.Peek() <= now - _windowLength)
            {
                _window.Dequeue();
            }

            if (_window.Count >= _perWindow)
            {
                return RateLimitVerdict.Throttled;
            }

            _window.Enqueue(now);
            _dayCount++;
            return RateLimitVerdict.Allowed;
        }
    }
}
