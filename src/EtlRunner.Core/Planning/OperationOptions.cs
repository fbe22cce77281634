using EtlRunner.Connectors;

namespace EtlRunner.Planning;

/// <summary>An operation's <c>options</c>, bound and checked.</summary>
public sealed record OperationOptions(int BatchSize, ChangeLimit? MaxRejects, TimeSpan Timeout, int ChannelCapacity)
{
    /// <summary>The guard against mass deletes: a count, or a percentage of the target's size when the operation starts (<c>5%</c>).</summary>
    public ChangeLimit? MaxDeletes { get; init; }

    /// <summary>The guard against mass updates: a count, or a percentage of the target's size when the operation starts.</summary>
    public ChangeLimit? MaxUpdates { get; init; }

    /// <summary>A percentage <see cref="MaxRejects"/> is enforced record by record only once this many records have been read (and over all of them at the end).</summary>
    public const int PercentRejectsMinimumRead = 100;

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromHours(2);

    public static IReadOnlyList<ParameterSpec> Specs { get; } =
    [
        new("batch_size", ParameterType.Integer, "Records per batch written to the target.") { Default = 500L, Minimum = 1, Maximum = 1_000_000 },
        new("max_rejects", ParameterType.ChangeLimit, "Fail the operation as soon as more records than this are rejected: a count (20) or a percentage of the records read (5%, checked once 100 records have been read, and over all of them at the end); the target stops sending at once. Absent means no limit; an operation whose every record is rejected fails whatever the limit."),
        new("timeout", ParameterType.Duration, "Fail the operation when it runs longer than this: seconds, or a number with s, m or h (the default is Jitterbit's).") { Default = "2h" },
        new("channel_capacity", ParameterType.Integer, "Batches buffered between stages; memory stays bounded by it.") { Default = 2L, Minimum = 1, Maximum = 1024 },
        new("max_deletes", ParameterType.ChangeLimit, "For a delete target: stop before deleting more than this, a count (50) or a percentage (5%) of the records in the target (contacts in the account, rows in the table) when the operation starts."),
        new("max_updates", ParameterType.ChangeLimit, "For an update target: stop before updating more than this, a count (500) or a percentage (20%) of the records in the target when the operation starts."),
    ];

    public static OperationOptions From(Settings settings) => new(
        settings.GetInt32("batch_size", 500),
        settings.GetChangeLimit("max_rejects"),
        settings.GetDuration("timeout") ?? DefaultTimeout,
        settings.GetInt32("channel_capacity", 2))
    {
        MaxDeletes = settings.GetChangeLimit("max_deletes"),
        MaxUpdates = settings.GetChangeLimit("max_updates"),
    };
}
