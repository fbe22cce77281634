using System.Globalization;

namespace EtlRunner.Sandbox;

/// <summary>
/// Which faults to inject and how often. Text form: comma-separated <c>key=value</c> items, e.g.
/// <c>500=0.05,503=0.03,429=0.02,timeout=0.01,cut=0.01,malformed=0.01,seed=42,after=10,delay=40s</c>.
/// Rates are fractions 0..1 (or percentages like <c>5%</c>) that add up to at most 1.
/// </summary>
public sealed class FaultSpec
{
    private static readonly Dictionary<string, FaultKind> KindNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["500"] = FaultKind.InternalServerError,
        ["503"] = FaultKind.ServiceUnavailable,
        ["429"] = FaultKind.Throttled,
        ["timeout"] = FaultKind.Timeout,
        ["cut"] = FaultKind.Cut,
        ["malformed"] = FaultKind.Malformed,
    };

    private readonly Dictionary<FaultKind, double> _rates;

    private FaultSpec(Dictionary<FaultKind, double> rates, int? seed, int after, TimeSpan delay)
    {
        _rates = rates;
        Seed = seed;
        After = after;
        TimeoutDelay = delay;
    }

    /// <summary>A spec that injects nothing.</summary>
    public static FaultSpec None { get; } = new([], null, 0, TimeSpan.FromSeconds(100));

    /// <summary>Probability of each fault kind per request (kinds not listed are 0).</summary>
    public IReadOnlyDictionary<FaultKind, double> Rates => _rates;

    /// <summary>Seed of the fault random generator, if the spec names one.</summary>
    public int? Seed { get; }

    /// <summary>Number of /v3 requests answered normally before faults may start.</summary>
    public int After { get; }

    /// <summary>How long a <see cref="FaultKind.Timeout"/> fault stalls before answering.</summary>
    public TimeSpan TimeoutDelay { get; }

    public bool IsEmpty => _rates.Values.All(r => r == 0);

    /// <summary>Parses the text form; throws <see cref="FormatException"/> naming the bad item.</summary>
    public static FaultSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rates = new Dictionary<FaultKind, double>();
        int? seed = null;
        var after = 0;
        var delay = None.TimeoutDelay;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == raw.Length - 1)
            {
                throw new FormatException($"Fault spec item '{raw}' is not of the form key=value.");
            }

            var key = raw[..eq].Trim();
            var value = raw[(eq + 1)..].Trim();
            if (!seen.Add(key))
            {
                throw new FormatException($"Fault spec key '{key}' is given more than once.");
            }

            if (KindNames.TryGetValue(key, out var kind))
            {
                rates[kind] = ParseRate(key, value);
                continue;
            }

            switch (key.ToLowerInvariant())
            {
                case "seed":
                    seed = ParseInt(key, value, int.MinValue);
                    break;
                case "after":
                    after = ParseInt(key, value, 0);
                    break;
                case "delay":
                    delay = ParseDuration(value);
                    break;
                default:
                    throw new FormatException(
                        $"Unknown fault spec key '{key}'. Known keys: 500, 503, 429, timeout, cut, malformed, seed, after, delay.");
            }
        }

        var total = rates.Values.Sum();
        if (total > 1.0000001)
        {
            throw new FormatException($"Fault rates add up to {total.ToString(CultureInfo.InvariantCulture)}, more than 1.");
        }

        return new FaultSpec(rates, seed, after, delay);
    }

    /// <summary>The canonical text form.</summary>
    public override string ToString()
    {
        var parts = KindNames.Where(k => _rates.ContainsKey(k.Value))
            .Select(k => $"{k.Key}={_rates[k.Value].ToString(CultureInfo.InvariantCulture)}")
            .ToList();
        if (Seed is { } s)
        {
            parts.Add($"seed={s.ToString(CultureInfo.InvariantCulture)}");
        }

        if (After > 0)
        {
            parts.Add($"after={After.ToString(CultureInfo.InvariantCulture)}");
        }

        parts.Add($"delay={TimeoutDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms");
        return string.Join(',', parts);
    }

    private static double ParseRate(string key, string value)
    {
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || double.IsNaN(rate))
        {
            throw new FormatException($"Fault rate '{value}' for '{key}' is not a number (use e.g. 0.05 or 5%).");
        }

        rate = percent ? rate / 100 : rate;
        if (rate is < 0 or > 1)
        {
            throw new FormatException($"Fault rate '{value}' for '{key}' must be between 0 and 1 (or 0% and 100%).");
        }

        return rate;
    }

    private static int ParseInt(string key, string value, int min)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min)
        {
            throw new FormatException($"Fault spec value '{value}' for '{key}' must be an integer{(min == 0 ? " >= 0" : "")}.");
        }

        return n;
    }

    private static TimeSpan ParseDuration(string value)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 0.001)
            : value.EndsWith('s') || value.EndsWith('S') ? (value[..^1], 1.0)
            : value.EndsWith('m') || value.EndsWith('M') ? (value[..^1], 60.0)
            : value.EndsWith('h') || value.EndsWith('H') ? (value[..^1], 3600.0)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n))
        {
            throw new FormatException($"Fault delay '{value}' is not a duration (use e.g. 40s, 500ms, 2m).");
        }

        return TimeSpan.FromSeconds(n * unit);
    }
}
