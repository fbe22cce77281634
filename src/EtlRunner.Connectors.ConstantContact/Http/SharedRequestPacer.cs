using System.Threading.RateLimiting;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// The <see cref="RequestPacer"/>'s rule kept by an <see cref="IRequestGate"/> shared with other processes (an agent
/// group's): a lease is one of the account's request slots, held while its request is in flight.
/// </summary>
internal sealed class SharedRequestPacer(IRequestGate gate, string account, RequestLimits limits) : RateLimiter
{
    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    // Never without waiting: the shared slots are behind a database call.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => throw new NotSupportedException("A shared pacer is acquired with AcquireAsync.");

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);
        return new Lease(await gate.TakeSlotAsync(account, limits, cancellationToken).ConfigureAwait(false));
    }

    private sealed class Lease(IDisposable slot) : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing) => slot.Dispose();
    }
}
