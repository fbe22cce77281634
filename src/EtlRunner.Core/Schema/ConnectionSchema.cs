using System.Text.Json.Nodes;
using EtlRunner.Connectors;
using EtlRunner.Loading;

namespace EtlRunner.Schema;

/// <summary>
/// A connection: <c>name</c>, <c>type</c> (one of the registered connectors) and, through one
/// <c>if type = X then</c> branch per connector, exactly the fields that connector declares.
/// </summary>
internal static class ConnectionSchema
{
    public static JsonObject For(ConnectorRegistry registry)
    {
        var branches = new JsonArray();
        foreach (var descriptor in registry.All.Select(c => c.Descriptor))
        {
            branches.Add((JsonNode)new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = descriptor.Type } },
                    ["required"] = ValueSchemas.Strings(["type"]),
                },
                ["then"] = Fields(descriptor),
            });
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = Required(),
            ["properties"] = Base(registry.All.Select(c => c.Descriptor.Type)),
            ["allOf"] = branches,
        };
    }

    private static JsonObject Fields(ConnectorDescriptor descriptor)
    {
        var properties = Base([descriptor.Type]);
        properties["type"]!["description"] = $"{descriptor.Type}: {descriptor.Description}";
        foreach (var spec in descriptor.ConnectionParameters)
        {
            properties[spec.Name] = ValueSchemas.For(spec, spec.Description);
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = Required(descriptor.ConnectionParameters.Where(p => p.Required).Select(p => p.Name)),
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Base(IEnumerable<string> types) =>
        KeySchemas.Properties(nameof(PipelineKeys.Connection), PipelineKeys.Connection, new Dictionary<string, Func<JsonObject>>
        {
            ["name"] = KeySchemas.Name,
            ["type"] = () => new JsonObject { ["type"] = "string", ["enum"] = ValueSchemas.Strings(types) },
        });

    private static JsonArray Required(IEnumerable<string>? more = null) =>
        ValueSchemas.Strings(PipelineKeys.Connection.Where(k => k.Required).Select(k => k.Name).Concat(more ?? []));
}
