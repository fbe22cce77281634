using YamlDotNet.RepresentationModel;

namespace EtlRunner.Sandbox.Tests.Support;

/// <summary>Constant Contact's swagger.yaml (Swagger 2.0), loaded once, with look-ups by path, method and status.</summary>
internal sealed class SwaggerContract
{
    private static readonly Lazy<SwaggerContract> Instance = new(Load);

    private readonly YamlMappingNode _paths;
    private readonly YamlMappingNode _definitions;

    private SwaggerContract(YamlMappingNode root)
    {
        _paths = (YamlMappingNode)root["paths"];
        _definitions = (YamlMappingNode)root["definitions"];
    }

    public static SwaggerContract Shared => Instance.Value;

    /// <summary>The operation for a path template relative to basePath (e.g. /contacts/{contact_id}), or null.</summary>
    public YamlMappingNode? Operation(string path, string method) =>
        _paths.Children.TryGetValue(new YamlScalarNode(path), out var item) && item is YamlMappingNode ops
        && ops.Children.TryGetValue(new YamlScalarNode(method.ToLowerInvariant()), out var op)
            ? op as YamlMappingNode
            : null;

    public IReadOnlySet<string> QueryParameters(YamlMappingNode operation) =>
        operation.Children.TryGetValue(new YamlScalarNode("parameters"), out var p) && p is YamlSequenceNode list
            ? list.OfType<YamlMappingNode>().Where(x => Scalar(x, "in") == "query").Select(x => Scalar(x, "name")!).ToHashSet()
            : new HashSet<string>();

    /// <summary>The response entry for a status, or null when the operation does not declare it.</summary>
    public YamlMappingNode? Response(YamlMappingNode operation, int status) =>
        operation["responses"] is YamlMappingNode responses
        && responses.Children.TryGetValue(new YamlScalarNode(status.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var r)
            ? r as YamlMappingNode
            : null;

    public YamlMappingNode Definition(string name) =>
        _definitions.Children.TryGetValue(new YamlScalarNode(name), out var d)
            ? (YamlMappingNode)d
            : throw new KeyNotFoundException($"swagger.yaml has no definition '{name}'.");

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    /// <summary>Resolves a <c>$ref</c> to <c>#/definitions/X</c>; other schemas are returned as they are.</summary>
    public YamlMappingNode Resolve(YamlMappingNode schema)
    {
        var seen = 0;
        while (Scalar(schema, "$ref") is { } reference)
        {
            const string prefix = "#/definitions/";
            if (!reference.StartsWith(prefix, StringComparison.Ordinal) || ++seen > 20)
            {
                throw new InvalidOperationException($"Unsupported $ref '{reference}'.");
            }

            schema = Definition(reference[prefix.Length..]);
        }

        return schema;
    }

    private static SwaggerContract Load()
    {
        var file = Locate();
        var yaml = new YamlStream();
        using (var reader = File.OpenText(file))
        {
            yaml.Load(reader);
        }

        return new SwaggerContract((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    /// <summary>The copy kept beside the tests (Contract/swagger.yaml, copied to the output folder).</summary>
    private static string Locate()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contract", "swagger.yaml");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"Constant Contact's swagger.yaml is missing: expected it at {path} (tests/EtlRunner.Sandbox.Tests/Contract/swagger.yaml, copied on build). " +
                "The contract tests validate the sandbox against it and cannot run without it.", path);
    }
}
