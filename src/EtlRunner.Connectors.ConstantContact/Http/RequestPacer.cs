using System.Threading.RateLimiting;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// A <see cref="RateLimiter"/> that never lets more than <c>requests_per_second</c> requests reach the server in any
/// sliding window, measured with the connection's <see cref="TimeProvider"/>. A lease is held while its request is in
/// flight; its slot becomes free one window after the lease is disposed (the answer came back). The server counts a
/// request when it arrives, which is before the answer leaves, so requests that start one window after an earlier
/// answer are always more than one window apart on the server's clock, whatever the network latency.
/// </summary>
internal sealed class RequestPacer : RateLimiter
{
    private static readonly TimeSpan SafetyMargin = TimeSpan.FromMilliseconds(5);

    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    // Acquirers queue here one at a time, so permits go out in arrival order.
    private readonly SemaphoreSlim _turn = new(1, 1);

    // Guarded by _gate.
    private readonly Lock _gate = new();
    private readonly Queue<long> _freedAt = new();
    private int _inFlight;
    private long _idleSince;
    private TaskCompletionSource _released = NewSignal();

    public RequestPacer(int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        _permitLimit = permitLimit;
        _window = window + SafetyMargin;
        _time = time;
        _idleSince = time.GetTimestamp();
    }

    /// <summary>
    /// At most <paramref name="requestsPerSecond"/> in any 1-second window: floor(rate) permits per second, or one
    /// permit per 1/rate seconds below 1 per second.
    /// </summary>
    public static RequestPacer PerSecond(double requestsPerSecond, TimeProvider time)
    {
        var limits = RequestLimits.PerSecond(requestsPerSecond, Timeout.InfiniteTimeSpan);
        return new RequestPacer(limits.Permits, limits.Window, time);
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _inFlight > 0 ? null : _time.GetElapsedTime(_idleSince);
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Purge();
            return new RateLimiterStatistics { CurrentAvailablePermits = _permitLimit - _inFlight - _freedAt.Count };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        lock (_gate)
        {
            return TryTake() ? new Lease(this) : Lease.Refused;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan? wait;
                Task released;
                lock (_gate)
                {
                    if (TryTake())
                    {
                        return new Lease(this);
                    }

                    // The oldest freed slot opens first; with none freed yet, every slot is in flight: wait for an answer.
                    wait = _freedAt.Count > 0 ? _window - _time.GetElapsedTime(_freedAt.Peek()) : null;
                    released = _released.Task;
                }

                if (wait is { } delay)
                {
                    await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), _time, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await released.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _turn.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void CheckPermitCount(int permitCount)
    {
        if (permitCount != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "Each request takes exactly one permit.");
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool TryTake()
    {
        Purge();
        if (_inFlight + _freedAt.Count >= _permitLimit)
        {
            return false;
        }

        _inFlight++;
        return true;
    }

    private void Purge()
    {
        while (_freedAt.Count > 0 && _time.GetElapsedTime(_freedAt.Peek()) >= _window)
        {
            _freedAt.Dequeue();
        }
    }

    private void Release()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _inFlight--;
            var now = _time.GetTimestamp();
            _freedAt.Enqueue(now);
            _idleSince = now;
            signal = _released;
            _released = NewSignal();
        }

        signal.TrySetResult();
    }

    private sealed class Lease : RateLimitLease
    {
        public static readonly RateLimitLease Refused = new Lease(null);

        private RequestPacer? _owner;

        public Lease(RequestPacer? owner)
        {
            _owner = owner;
            IsAcquired = owner is not null;
        }

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing) => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}
