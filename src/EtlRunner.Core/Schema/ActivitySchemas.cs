using System.Text.Json.Nodes;
using EtlRunner.Connectors;
using EtlRunner.Loading;

namespace EtlRunner.Schema;

/// <summary>
/// An operation's <c>source</c> (<c>query</c>, or a source activity a connector declares) and <c>target</c> (<c>create</c>,
/// <c>update</c>, <c>delete</c>, or a target activity a connector declares): <c>connection</c>, <c>activity</c> and the
/// parameters of that activity, as declared by the registered connectors.
/// </summary>
internal static class ActivitySchemas
{
    public static JsonObject Source(ConnectorRegistry registry) => Branches(registry, ActivityRole.Source);

    /// <summary>The target's keys depend on its activity: one <c>if activity = X then</c> branch per target activity.</summary>
    public static JsonObject Target(ConnectorRegistry registry) => Branches(registry, ActivityRole.Target);

    /// <summary>
    /// The activities with this role (the built-in ones and those the registered connectors declare), and the keys of
    /// each: one <c>if activity = X then</c> branch per activity when there are several.
    /// </summary>
    private static JsonObject Branches(ConnectorRegistry registry, ActivityRole role)
    {
        var kinds = ActivityKinds.All.Concat(registry.All.SelectMany(c => c.Descriptor.Activities.Select(a => a.Kind)))
            .Where(k => k.Role == role).Distinct().ToList();
        if (kinds.Count == 1)
        {
            return Strict(Properties(registry, kinds, kinds[0]), ParameterUnion.For(registry, kinds[0]));
        }

        var branches = new JsonArray();
        foreach (var kind in kinds)
        {
            branches.Add((JsonNode)new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["activity"] = new JsonObject { ["const"] = kind.ToName() } },
                    ["required"] = ValueSchemas.Strings(["activity"]),
                },
                ["then"] = Strict(Properties(registry, kinds, kind), ParameterUnion.For(registry, kind)),
            });
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = Required(),
            ["properties"] = Base(kinds),
            ["allOf"] = branches,
        };
    }

    /// <summary>The keys of one activity: connection, activity, a source's own keys (incremental) and its parameters.</summary>
    private static JsonObject Properties(ConnectorRegistry registry, IReadOnlyList<ActivityKind> kinds, ActivityKind kind)
    {
        var properties = Base(kinds);
        if (kind.Role == ActivityRole.Source)
        {
            foreach (var (name, value) in KeySchemas.Properties(nameof(PipelineKeys.SourceOnly), PipelineKeys.SourceOnly, SourceOnlyShapes).ToList())
            {
                properties[name] = value?.DeepClone();
            }
        }

        AddParameters(properties, registry, kind);
        return properties;
    }

    private static Dictionary<string, Func<JsonObject>> SourceOnlyShapes => new()
    {
        ["incremental"] = () => KeySchemas.Strict(nameof(PipelineKeys.Incremental), PipelineKeys.Incremental, new Dictionary<string, Func<JsonObject>>
        {
            ["field"] = () => KeySchemas.Type("string"),
            ["start"] = () => new JsonObject { ["type"] = ValueSchemas.Types("string", "number") },
        }),
    };

    /// <summary><c>connection</c> and <c>activity</c>, the activity limited to <paramref name="kinds"/>.</summary>
    private static JsonObject Base(IReadOnlyList<ActivityKind> kinds) =>
        KeySchemas.Properties(nameof(PipelineKeys.Activity), PipelineKeys.Activity, new Dictionary<string, Func<JsonObject>>
        {
            ["connection"] = () => KeySchemas.Type("string"),
            ["activity"] = () => new JsonObject { ["type"] = "string", ["enum"] = ValueSchemas.Strings(kinds.Select(k => k.ToName())) },
        });

    private static void AddParameters(JsonObject properties, ConnectorRegistry registry, ActivityKind kind)
    {
        foreach (var parameter in ParameterUnion.For(registry, kind))
        {
            properties[parameter.Name] = parameter.Schema();
        }
    }

    private static JsonObject Strict(JsonObject properties, IReadOnlyList<ParameterUnion> parameters) => new()
    {
        ["type"] = "object",
        ["required"] = Required(parameters.Where(p => p.Required).Select(p => p.Name)),
        ["properties"] = properties,
        ["additionalProperties"] = false,
    };

    private static JsonArray Required(IEnumerable<string>? more = null) =>
        ValueSchemas.Strings(PipelineKeys.Activity.Where(k => k.Required).Select(k => k.Name).Concat(more ?? []));
}
