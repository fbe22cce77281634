namespace EtlRunner.Connectors;

/// <summary>An activity a connector supports, with the parameters that sit beside <c>connection</c> and <c>activity</c>.</summary>
public sealed record ActivitySpec(ActivityKind Kind, string Description, IReadOnlyList<ParameterSpec> Parameters);

/// <summary>What a connector type accepts: its connection fields and its activities. Validation, <c>etl schema</c> and the docs all read it.</summary>
public sealed record ConnectorDescriptor(
    string Type,
    string Description,
    IReadOnlyList<ParameterSpec> ConnectionParameters,
    IReadOnlyList<ActivitySpec> Activities)
{
    /// <summary>What <c>--sandbox</c> sets on this connector's connections; null when it has no sandbox.</summary>
    public SandboxOverrides? Sandbox { get; init; }

    public ActivitySpec? FindActivity(ActivityKind kind) => Activities.FirstOrDefault(a => a.Kind == kind);

    /// <summary>The activity a pipeline file names (a built-in one or this connector's own), if this connector supports it.</summary>
    public ActivitySpec? FindActivity(string? name) => Activities.FirstOrDefault(a => string.Equals(a.Kind.Name, name, StringComparison.Ordinal));

    /// <summary>The built-in kinds with this role and this connector's own: "create, update, delete, add_to_lists".</summary>
    public IReadOnlyList<ActivityKind> KnownActivities(ActivityRole role) =>
        [.. ActivityKinds.All.Concat(Activities.Select(a => a.Kind)).Where(k => k.Role == role).Distinct()];

    /// <summary>"csv connections support query and create".</summary>
    public string DescribeSupportedActivities()
    {
        var names = Activities.Select(a => a.Kind.ToName()).ToList();
        var list = names.Count switch
        {
            0 => "no activities",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1],
        };
        return $"{Type} connections support {list}";
    }
}
