using System.Text.RegularExpressions;

namespace EtlRunner.Connectors;

/// <summary>Whether an activity reads records (a source's activity) or writes them (a target's).</summary>
public enum ActivityRole
{
    Source,
    Target,
}

/// <summary>
/// What an activity does, named as in a pipeline file. The four built-in kinds mean the same for every connector:
/// <c>query</c> is a source; <c>create</c>, <c>update</c> and <c>delete</c> are targets. A connector declares further
/// kinds in its <see cref="ActivitySpec"/>s (<c>ActivityKind.Target("add_to_lists")</c>), each a source or a target;
/// validation, <c>etl schema</c>, the docs and the runner treat them like the four. Kinds are equal when their names
/// and roles are.
/// </summary>
public sealed partial record ActivityKind
{
    private ActivityKind(string name, ActivityRole role)
    {
        Name = name;
        Role = role;
    }

    public static ActivityKind Query { get; } = new("query", ActivityRole.Source);

    public static ActivityKind Create { get; } = new("create", ActivityRole.Target);

    public static ActivityKind Update { get; } = new("update", ActivityRole.Target);

    public static ActivityKind Delete { get; } = new("delete", ActivityRole.Target);

    /// <summary>The name a pipeline file gives in <c>activity:</c>.</summary>
    public string Name { get; }

    public ActivityRole Role { get; }

    /// <summary>A connector's own source activity, e.g. an export; its name is snake_case and not a built-in one.</summary>
    public static ActivityKind Source(string name) => Declare(name, ActivityRole.Source);

    /// <summary>A connector's own target activity, e.g. <c>add_to_lists</c>; its name is snake_case and not a built-in one.</summary>
    public static ActivityKind Target(string name) => Declare(name, ActivityRole.Target);

    public override string ToString() => Name;

    private static ActivityKind Declare(string name, ActivityRole role)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SnakeCase().IsMatch(name))
        {
            throw new ArgumentException($"An activity's name is lower-case snake_case (like add_to_lists), not '{name}'.", nameof(name));
        }

        if (ActivityKinds.TryParse(name, out _))
        {
            throw new ArgumentException($"'{name}' is a built-in activity; use ActivityKind.{char.ToUpperInvariant(name[0])}{name[1..]}.", nameof(name));
        }

        return new ActivityKind(name, role);
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}

public static class ActivityKinds
{
    /// <summary>The four built-in kinds; connectors may declare more (<see cref="ConnectorDescriptor.Activities"/>).</summary>
    public static IReadOnlyList<ActivityKind> All { get; } = [ActivityKind.Query, ActivityKind.Create, ActivityKind.Update, ActivityKind.Delete];

    public static string ToName(this ActivityKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Name;
    }

    /// <summary>Finds a built-in kind by name; a connector's own kinds are found with <see cref="ConnectorDescriptor.FindActivity(string)"/>.</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ActivityKind? kind)
    {
        kind = All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.Ordinal));
        return kind is not null;
    }

    public static bool IsTarget(this ActivityKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Role == ActivityRole.Target;
    }
}
