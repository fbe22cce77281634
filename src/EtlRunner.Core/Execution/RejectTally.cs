using System.Globalization;

namespace EtlRunner.Execution;

/// <summary>
/// Counts an operation's rejects by cause (the reject's code, else the reason up to its first colon) and keeps one
/// reason of each as an example, so a failure can say what went wrong most often. Bounded: past
/// <see cref="MaxCauses"/> causes, the rest are counted as "other". Thread-safe.
/// </summary>
internal sealed class RejectTally
{
    private const int MaxCauses = 64;
    private const string Other = "other";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Count, string Example)> _causes = new(StringComparer.Ordinal);

    public void Add(string reason, string? code, long count = 1)
    {
        var cause = code ?? CauseOf(reason);
        lock (_gate)
        {
            if (!_causes.ContainsKey(cause) && _causes.Count >= MaxCauses)
            {
                cause = Other;
            }

            _causes[cause] = _causes.TryGetValue(cause, out var known) ? (known.Count + count, known.Example) : (count, reason);
        }
    }

    /// <summary>The most frequent causes with their counts and an example reason: <c>invalid_email: 6 (e.g. "...")</c>.</summary>
    public string Describe(int top = 3)
    {
        lock (_gate)
        {
            return string.Join("; ", _causes
                .OrderByDescending(c => c.Value.Count)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}: {c.Value.Count} (e.g. \"{Shorten(c.Value.Example)}\")")));
        }
    }

    private static string CauseOf(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return Shorten(colon > 0 ? reason[..colon] : reason, 60);
    }

    private static string Shorten(string text, int max = 160) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
