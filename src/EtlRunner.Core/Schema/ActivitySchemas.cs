using System.Text.Json.Nodes;
using EtlRunner.Connectors;
using EtlRunner.Loading;

namespace EtlRunner.Schema;

/// <summary>
/// An operation's <c>source</c> (always <c>query</c>) and <c>target</c> (<c>create</c>, <c>update</c> or <c>delete</c>):
/// <c>connection</c>, <c>activity</c> and the parameters of that activity, as declared by the registered connectors.
/// </summary>
internal static class ActivitySchemas
{
    public static JsonObject Source(ConnectorRegistry registry)
    {
        var properties = Base([ActivityKind.Query]);
        foreach (var (name, value) in KeySchemas.Properties(nameof(PipelineKeys.SourceOnly), PipelineKeys.SourceOnly, SourceOnlyShapes).ToList())
        {
            properties[name] = value?.DeepClone();
        }

        AddParameters(properties, registry, ActivityKind.Query);
        return Strict(properties, ParameterUnion.For(registry, ActivityKind.Query));
    }

    /// <summary>The target's keys depend on its activity: one <c>if activity = X then</c> branch per target activity.</summary>
    public static JsonObject Target(ConnectorRegistry registry)
    {
        var kinds = ActivityKinds.All.Where(k => k.IsTarget()).ToList();
        var branches = new JsonArray();
        foreach (var kind in kinds)
        {
            var properties = Base(kinds);
            AddParameters(properties, registry, kind);
            branches.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["activity"] = new JsonObject { ["const"] = kind.ToName() } },
                    ["required"] = ValueSchemas.Strings(["activity"]),
                },
                ["then"] = Strict(properties, ParameterUnion.For(registry, kind)),
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
