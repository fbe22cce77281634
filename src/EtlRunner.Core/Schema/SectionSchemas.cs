using System.Text.Json.Nodes;
using EtlRunner.Connectors;
using EtlRunner.Planning;
using EtlRunner.Loading;

namespace EtlRunner.Schema;

/// <summary>The sections of the pipeline file that do not depend on connectors: variables, environments, operations' own keys.</summary>
internal static class SectionSchemas
{
    /// <summary><c>name: default</c> or <c>name: { value, description, secret }</c>.</summary>
    public static JsonObject Variables() => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = new JsonObject
        {
            ["anyOf"] = new JsonArray(
                ValueSchemas.Scalar(),
                KeySchemas.Strict(nameof(PipelineKeys.Variable), PipelineKeys.Variable, new Dictionary<string, Func<JsonObject>>
                {
                    ["value"] = ValueSchemas.Scalar,
                    ["description"] = () => KeySchemas.Type("string"),
                    ["secret"] = () => KeySchemas.Type("boolean"),
                })),
        },
    };

    public static JsonObject Environments() => new()
    {
        ["type"] = "object",
        ["additionalProperties"] = KeySchemas.Strict(nameof(PipelineKeys.Environment), PipelineKeys.Environment, new Dictionary<string, Func<JsonObject>>
        {
            ["variables"] = () => new JsonObject { ["type"] = "object", ["additionalProperties"] = ValueSchemas.Scalar() },
        }),
    };

    public static JsonObject Operation(ConnectorRegistry registry) =>
        KeySchemas.Strict(nameof(PipelineKeys.Operation), PipelineKeys.Operation, new Dictionary<string, Func<JsonObject>>
        {
            ["name"] = KeySchemas.Name,
            ["description"] = () => KeySchemas.Type("string"),
            ["source"] = () => ActivitySchemas.Source(registry),
            ["transform"] = Transform,
            ["target"] = () => ActivitySchemas.Target(registry),
            ["options"] = Options,
            ["set"] = Templates,
            ["on_success"] = () => KeySchemas.Type("string"),
            ["on_failure"] = () => KeySchemas.Type("string"),
        });

    /// <summary>A unit test of an operation's transform (see <see cref="PipelineKeys.Test"/>).</summary>
    public static JsonObject Test() =>
        KeySchemas.Strict(nameof(PipelineKeys.Test), PipelineKeys.Test, new Dictionary<string, Func<JsonObject>>
        {
            ["name"] = () => new JsonObject { ["type"] = "string", ["minLength"] = 1 },
            ["description"] = () => KeySchemas.Type("string"),
            ["operation"] = () => KeySchemas.Type("string"),
            ["given"] = Records,
            ["expect"] = Records,
            ["expect_filtered"] = () => new JsonObject
            {
                ["anyOf"] = new JsonArray(Index(), new JsonObject { ["type"] = "array", ["items"] = Index() }),
            },
            ["expect_rejected"] = () => new JsonObject
            {
                ["type"] = "array",
                ["items"] = KeySchemas.Strict(nameof(PipelineKeys.RejectExpectation), PipelineKeys.RejectExpectation, new Dictionary<string, Func<JsonObject>>
                {
                    ["index"] = Index,
                    ["reason"] = () => KeySchemas.Type("string"),
                }),
            },
            ["expect_globals"] = () => KeySchemas.Type("object"),
            ["variables"] = () => KeySchemas.Type("object"),
        });

    private static JsonObject Records() => new() { ["type"] = "array", ["items"] = KeySchemas.Type("object") };

    private static JsonObject Index() => new() { ["type"] = "integer", ["minimum"] = 0 };

    private static JsonObject Transform() =>
        KeySchemas.Strict(nameof(PipelineKeys.Transform), PipelineKeys.Transform, new Dictionary<string, Func<JsonObject>>
        {
            ["where"] = () => new JsonObject { ["type"] = ValueSchemas.Types("string", "boolean") },
            ["map"] = Templates,
        });

    /// <summary><c>name: template</c> entries of <c>map</c> and <c>set</c>.</summary>
    private static JsonObject Templates() => new() { ["type"] = "object", ["additionalProperties"] = ValueSchemas.Scalar() };

    /// <summary>The option keys of <see cref="PipelineKeys.Options"/>, typed by <see cref="OperationOptions.Specs"/> (what the run binds).</summary>
    private static JsonObject Options()
    {
        var shapes = OperationOptions.Specs.ToDictionary(s => s.Name, s => (Func<JsonObject>)(() => OptionShape(s)), StringComparer.Ordinal);
        return KeySchemas.Strict(nameof(PipelineKeys.Options), PipelineKeys.Options, shapes);
    }

    private static JsonObject OptionShape(ParameterSpec spec)
    {
        var schema = ValueSchemas.For(spec, spec.Description);
        schema.Remove("description");
        return schema;
    }
}
