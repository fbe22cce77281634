namespace EtlRunner.Sandbox.Faults;

/// <summary>Decides, per /v3 request and reproducibly for a given seed, whether to inject a fault and which.</summary>
internal sealed class FaultInjector(FaultSpec spec, int seed)
{
    private static readonly FaultKind[] Order = Enum.GetValues<FaultKind>();
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private long _requests;

    public TimeSpan TimeoutDelay => spec.TimeoutDelay;

    public FaultKind? Decide()
    {
        if (spec.IsEmpty)
        {
            return null;
        }

        lock (_gate)
        {
            if (++_requests <= spec.After)
            {
                return null;
            }

            var draw = _random.NextDouble();
            var cumulative = 0.0;
            foreach (var kind in Order)
            {
                cumulative += spec.Rates.GetValueOrDefault(kind);
                if (draw < cumulative)
                {
                    return kind;
                }
            }

            return null;
        }
    }
}
