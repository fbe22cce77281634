using System.Globalization;
using System.Text.RegularExpressions;
using EtlRunner.Connectors;

namespace EtlRunner.Execution;

/// <summary>An operation's <c>options</c>, bound and checked.</summary>
public sealed partial record OperationOptions(int BatchSize, long? MaxRejects, TimeSpan Timeout, int ChannelCapacity)
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromHours(2);

    public static IReadOnlyList<ParameterSpec> Specs { get; } =
    [
        new("batch_size", ParameterType.Integer, "Records per batch written to the target.") { Default = 500L, Minimum = 1, Maximum = 1_000_000 },
        new("max_rejects", ParameterType.Integer, "Fail the operation when more records than this are rejected; absent means no limit.") { Minimum = 0 },
        new("timeout", ParameterType.String, "Fail the operation when it runs longer than this: seconds, or a number with s, m or h.") { Default = "2h" },
        new("channel_capacity", ParameterType.Integer, "Batches buffered between stages.") { Default = 2L, Minimum = 1, Maximum = 1024 },
    ];

    public static OperationOptions From(Settings settings) => new(
        settings.GetInt32("batch_size", 500),
        settings.GetInt64("max_rejects"),
        ParseDuration(settings.GetString("timeout")) ?? DefaultTimeout,
        settings.GetInt32("channel_capacity", 2));

    /// <summary>Parses <c>90</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>; null when the text is not a duration.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        var match = DurationPattern().Match(text?.Trim() ?? string.Empty);
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

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)\s*(?<u>ms|s|m|min|h)?$")]
    private static partial Regex DurationPattern();
}
