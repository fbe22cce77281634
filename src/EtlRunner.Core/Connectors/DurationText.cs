using System.Globalization;
using System.Text.RegularExpressions;

namespace EtlRunner.Connectors;

/// <summary>Durations as pipeline files write them: <c>90</c> (seconds), <c>250ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>.</summary>
public static partial class DurationText
{
    /// <summary>What the error messages and the schema say a duration looks like.</summary>
    public const string Examples = "a duration such as 90s, 15m or 2h";

    /// <summary>The text as a duration; null when it is not one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        var match = Pattern().Match(text?.Trim() ?? string.Empty);
        if (!match.Success)
        {
            return null;
        }

        var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["u"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "m" or "min" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
    }

    /// <summary>
    /// A duration as every view prints it (summary, live view, progress lines, history, waiting reasons), in the units
    /// a pipeline file writes: <c>2.30s</c> under ten seconds, <c>42s</c> under a minute, <c>3m 05s</c>, <c>1h 02m</c>.
    /// </summary>
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 10 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, duration.TotalSeconds):0.00}s"),
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalSeconds}s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes}m {duration.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h {duration.Minutes:00}m"),
    };

    /// <summary>The JSON schema's pattern for a duration (the same grammar as <see cref="Parse"/>).</summary>
    public const string SchemaPattern = @"^\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m|min|h)?\s*$";

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<u>ms|s|m|min|h)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
