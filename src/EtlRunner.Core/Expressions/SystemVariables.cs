using System.Globalization;

namespace EtlRunner.Expressions;

/// <summary>
/// The read-only system variables, under <c>system.</c> and, for people coming from Jitterbit, the same
/// values under <c>jitterbit.</c>.
/// </summary>
public sealed record SystemVariables
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "project.name", "environment.name", "run.id", "run.start_time",
        "operation.name", "operation.start_time",
        "operation.previous.name", "operation.previous.status", "operation.previous.error", "operation.previous.records_written",
        "watermark", "date", "time",
        "schedule.name", "schedule.fire_time",
    ];

    public static IReadOnlyList<string> Prefixes { get; } = ["system.", "jitterbit."];

    /// <summary>The names, with their prefixes, whose values are known only when the run or the operation starts (all but the project, environment and operation names).</summary>
    public static IReadOnlySet<string> StartNames { get; } = Prefixes
        .SelectMany(p => Names.Where(n => n is not ("project.name" or "environment.name" or "operation.name")).Select(n => p + n))
        .ToHashSet(StringComparer.Ordinal);

    public required string ProjectName { get; init; }

    public string EnvironmentName { get; init; } = "default";

    public required string RunId { get; init; }

    public required DateTimeOffset RunStartTime { get; init; }

    public string? OperationName { get; init; }

    public DateTimeOffset? OperationStartTime { get; init; }

    public PreviousOperation? Previous { get; init; }

    public string? Watermark { get; init; }

    /// <summary>The schedule fire an agent started the run for; null for runs started by hand.</summary>
    public Scheduling.ScheduleFire? Schedule { get; init; }

    /// <summary>The clock for <c>system.date</c> and <c>system.time</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public static bool IsSystemName(string name) => Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    public static bool IsKnown(string name) =>
        Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && Names.Contains(name[p.Length..], StringComparer.Ordinal));

    /// <summary>The value of a name without its prefix (<c>run.id</c>).</summary>
    public object? Get(string shortName) => shortName switch
    {
        "project.name" => ProjectName,
        "environment.name" => EnvironmentName,
        "run.id" => RunId,
        "run.start_time" => Format(RunStartTime),
        "operation.name" => OperationName ?? string.Empty,
        "operation.start_time" => OperationStartTime is { } start ? Format(start) : string.Empty,
        "operation.previous.name" => Previous?.Name ?? string.Empty,
        "operation.previous.status" => Previous?.Status ?? string.Empty,
        "operation.previous.error" => Previous?.Error ?? string.Empty,
        "operation.previous.records_written" => Previous?.RecordsWritten ?? 0L,
        "watermark" => Watermark ?? string.Empty,
        "date" => TimeProvider.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "time" => TimeProvider.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        "schedule.name" => Schedule?.Name ?? string.Empty,
        "schedule.fire_time" => Schedule?.FireTimeText ?? string.Empty,
        _ => null,
    };

    /// <summary>Looks up <c>system.run.id</c> or <c>jitterbit.run.id</c>.</summary>
    public bool TryGet(string name, out object? value)
    {
        foreach (var prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && Names.Contains(name[prefix.Length..], StringComparer.Ordinal))
            {
                value = Get(name[prefix.Length..]);
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The values as nested dictionaries (<c>run</c> → <c>id</c>), for expressions.</summary>
    public Dictionary<string, object?> ToTree()
    {
        var root = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            var parts = name.Split('.');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (node.TryGetValue(parts[i], out var child) && child is Dictionary<string, object?> existing)
                {
                    node = existing;
                }
                else
                {
                    var created = new Dictionary<string, object?>(StringComparer.Ordinal);
                    node[parts[i]] = created;
                    node = created;
                }
            }

            node[parts[^1]] = Get(name);
        }

        return root;
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

/// <summary>The operation that ran before this one in its chain.</summary>
public sealed record PreviousOperation(string Name, string Status, string? Error, long RecordsWritten);
