using EtlRunner.Connectors;

namespace EtlRunner.Execution;

/// <summary>An operation's <c>options</c>, bound and checked.</summary>
public sealed record OperationOptions(int BatchSize, long? MaxRejects, TimeSpan Timeout, int ChannelCapacity)
{
    /// <summary>The guard against mass deletes: a count, or a percentage of the records read (<c>5%</c>).</summary>
    public ChangeLimit? MaxDeletes { get; init; }

    /// <summary>The guard against mass updates: a count, or a percentage of the records read.</summary>
    public ChangeLimit? MaxUpdates { get; init; }

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromHours(2);

    public static IReadOnlyList<ParameterSpec> Specs { get; } =
    [
        new("batch_size", ParameterType.Integer, "Records per batch written to the target.") { Default = 500L, Minimum = 1, Maximum = 1_000_000 },
        new("max_rejects", ParameterType.Integer, "Fail the operation when more records than this are rejected; absent means no limit.") { Minimum = 0 },
        new("timeout", ParameterType.Duration, "Fail the operation when it runs longer than this: seconds, or a number with s, m or h.") { Default = "2h" },
        new("channel_capacity", ParameterType.Integer, "Batches buffered between stages.") { Default = 2L, Minimum = 1, Maximum = 1024 },
        new("max_deletes", ParameterType.String, "For a delete target: stop before deleting more than this, a count (50) or a percentage of the records read (5%)."),
        new("max_updates", ParameterType.String, "For an update target: stop before updating more than this, a count (500) or a percentage of the records read (20%)."),
    ];

    public static OperationOptions From(Settings settings) => new(
        settings.GetInt32("batch_size", 500),
        settings.GetInt64("max_rejects"),
        settings.GetDuration("timeout") ?? DefaultTimeout,
        settings.GetInt32("channel_capacity", 2))
    {
        MaxDeletes = ChangeLimit.Parse(settings.GetString("max_deletes")),
        MaxUpdates = ChangeLimit.Parse(settings.GetString("max_updates")),
    };
}
