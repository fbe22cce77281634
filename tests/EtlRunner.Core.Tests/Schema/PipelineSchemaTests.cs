using System.Text.Json.Nodes;
using EtlRunner.Planning;
using EtlRunner.Loading;
using EtlRunner.Schema;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Schema;

public sealed class PipelineSchemaTests
{
    private static readonly JsonObject Schema = PipelineSchema.Build(DescriptorConnector.AlphaAndBeta());

    private static JsonObject Connection => Node("properties", "connections", "items");

    private static JsonObject Operation => Node("properties", "operations", "items");

    [Fact]
    public void Generate_SameRegistry_GivesTheSameTextWithTwoSpaceIndentAndTrailingNewline()
    {
        var first = PipelineSchema.Generate(DescriptorConnector.AlphaAndBeta());
        var second = PipelineSchema.Generate(DescriptorConnector.AlphaAndBeta());

        Assert.Equal(first, second);
        Assert.StartsWith("{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n", first, StringComparison.Ordinal);
        Assert.EndsWith("}\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", first, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TopLevel_RequiresProjectConnectionsAndOperationsAndNothingElse()
    {
        Assert.Equal(["project", "connections", "operations"], Strings(Schema["required"]));
        Assert.False(Schema["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(PipelineKeys.Top.Select(k => k.Name), Node("properties").Select(p => p.Key));
    }

    [Fact]
    public void Build_EveryPipelineKey_HasItsDescription()
    {
        var sections = new (IReadOnlyList<KeySpec> Keys, JsonObject Properties)[]
        {
            (PipelineKeys.Top, Node("properties")),
            (PipelineKeys.Variable, Node("properties", "variables", "additionalProperties", "anyOf", "1", "properties")),
            (PipelineKeys.Environment, Node("properties", "environments", "additionalProperties", "properties")),
            (PipelineKeys.Connection, Node("properties", "connections", "items", "properties")),
            (PipelineKeys.Operation, Node("properties", "operations", "items", "properties")),
            (PipelineKeys.Activity, At(Operation, "properties", "target", "properties")),
            (PipelineKeys.Activity.Concat(PipelineKeys.SourceOnly).ToList(), At(Operation, "properties", "source", "properties")),
            (PipelineKeys.Incremental, At(Operation, "properties", "source", "properties", "incremental", "properties")),
            (PipelineKeys.Transform, At(Operation, "properties", "transform", "properties")),
            (PipelineKeys.Options, At(Operation, "properties", "options", "properties")),
        };

        foreach (var (keys, properties) in sections)
        {
            foreach (var key in keys)
            {
                Assert.Equal(key.Description, properties[key.Name]?["description"]?.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Build_EveryObjectWithProperties_AllowsNoOtherKeys()
    {
        var objects = Walk(Schema).Where(o => o.ContainsKey("properties") && !IsCondition(o)).ToList();

        Assert.NotEmpty(objects);
        foreach (var schema in objects)
        {
            if (schema["allOf"] is JsonArray branches)
            {
                Assert.All(branches, b => Assert.False(b!["then"]!["additionalProperties"]!.GetValue<bool>()));
            }
            else
            {
                Assert.False(schema["additionalProperties"]!.GetValue<bool>(), schema.ToJsonString());
            }
        }
    }

    [Fact]
    public void Build_EveryProperty_HasADescription()
    {
        var properties = Walk(Schema)
            .Where(o => !IsCondition(o) && o["properties"] is JsonObject)
            .SelectMany(o => o["properties"]!.AsObject())
            .ToList();

        Assert.NotEmpty(properties);
        Assert.All(properties, p => Assert.False(string.IsNullOrWhiteSpace(p.Value?["description"]?.GetValue<string>()), p.Key));
    }

    [Fact]
    public void Build_ConnectionOfOneType_AllowsOnlyThatConnectorsFields()
    {
        var alpha = Branch(Connection, "type", "alpha");
        var beta = Branch(Connection, "type", "beta");

        Assert.Equal(["alpha", "beta"], Strings(At(Connection, "properties", "type")["enum"]));
        Assert.Equal(["name", "type", "file", "retries", "token"], At(alpha, "properties").Select(p => p.Key));
        Assert.Equal(["name", "type", "file"], Strings(alpha["required"]));
        Assert.Equal(["name", "type", "url"], At(beta, "properties").Select(p => p.Key));
        Assert.Equal("alpha: Alpha files.", At(alpha, "properties", "type")["description"]!.GetValue<string>());
    }

    [Fact]
    public void Build_IntegerField_AcceptsAWholeNumberInBoundsOrText()
    {
        var retries = At(Branch(Connection, "type", "alpha"), "properties", "retries");

        Assert.Equal("Retries per write.", retries["description"]!.GetValue<string>());
        Assert.Equal(3, retries["default"]!.GetValue<long>());
        var anyOf = retries["anyOf"]!.AsArray();
        Assert.Equal("integer", anyOf[0]!["type"]!.GetValue<string>());
        Assert.Equal(0, anyOf[0]!["minimum"]!.GetValue<long>());
        Assert.Equal(10, anyOf[0]!["maximum"]!.GetValue<long>());
        Assert.Equal("#/definitions/integerText", anyOf[1]!["$ref"]!.GetValue<string>());
        Assert.NotNull(Schema["definitions"]!["integerText"]!["pattern"]);
    }

    [Fact]
    public void Build_Source_AllowsOnlyQueryAndTheQueryParametersOfEveryConnector()
    {
        var source = At(Operation, "properties", "source");

        Assert.Equal(["query"], Strings(At(source, "properties", "activity")["enum"]));
        Assert.Equal(["connection", "activity", "incremental", "fields"], At(source, "properties").Select(p => p.Key));
        Assert.Equal("beta: Fields to read.", At(source, "properties", "fields")["description"]!.GetValue<string>());
        Assert.False(source["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void Build_TargetActivity_AllowsTheParametersOfThatActivityOnly()
    {
        var target = At(Operation, "properties", "target");

        Assert.Equal(["create", "update", "delete", "archive"], Strings(At(target, "properties", "activity")["enum"]));
        Assert.Equal(["connection", "activity", "mode", "verify", "rate"], At(Branch(target, "activity", "create"), "properties").Select(p => p.Key));
        Assert.Equal(["connection", "activity"], At(Branch(target, "activity", "update"), "properties").Select(p => p.Key));
        Assert.Equal(["connection", "activity", "filter"], At(Branch(target, "activity", "delete"), "properties").Select(p => p.Key));
        Assert.Equal(["connection", "activity", "folder"], At(Branch(target, "activity", "archive"), "properties").Select(p => p.Key));
        Assert.Equal(["connection", "activity", "folder"], Strings(Branch(target, "activity", "archive")["required"]));
    }

    [Fact]
    public void Build_ParameterOfTwoConnectors_JoinsAllowedValuesAndDescribesEach()
    {
        var mode = At(Branch(At(Operation, "properties", "target"), "activity", "create"), "properties", "mode");

        Assert.Equal("alpha: Alpha write mode.\nbeta: Beta write mode.", mode["description"]!.GetValue<string>());
        Assert.Equal(["overwrite", "append", "single", "bulk"], Strings(mode["anyOf"]![0]!["enum"]));
        Assert.Null(mode["default"]);
    }

    [Fact]
    public void Build_ParameterRequiredByOneConnectorOnly_IsNotRequiredInTheUnion()
    {
        var create = Branch(At(Operation, "properties", "target"), "activity", "create");

        Assert.Equal(["connection", "activity"], Strings(create["required"]));
    }

    [Fact]
    public void Build_Options_TypedAsTheRunBindsThem()
    {
        var options = At(Operation, "properties", "options", "properties");

        foreach (var spec in OperationOptions.Specs)
        {
            Assert.True(options.ContainsKey(spec.Name), spec.Name);
            Assert.Equal(spec.Default?.ToString(), options[spec.Name]!["default"]?.ToString());
        }
    }

    [Fact]
    public void Strict_KeyWithoutShape_ThrowsNamingTheKey()
    {
        var keys = new[] { new KeySpec("schedule", "When to run.") };

        var error = Assert.Throws<InvalidOperationException>(() => KeySchemas.Strict("Top", keys, new Dictionary<string, Func<JsonObject>>()));

        Assert.Contains("'schedule'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MemoryConnector_ListsItsParameters()
    {
        var schema = PipelineSchema.Generate(new Connectors.ConnectorRegistry().Add(new MemoryConnector()));

        Assert.Contains("\"store\"", schema, StringComparison.Ordinal);
        Assert.Contains("memory: Throw on this batch (1-based).", schema, StringComparison.Ordinal);
    }

    private static JsonObject Node(params string[] path) => At(Schema, path);

    private static JsonObject At(JsonNode node, params string[] path)
    {
        foreach (var part in path)
        {
            node = node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        return node.AsObject();
    }

    /// <summary>The <c>then</c> of the branch whose <c>if</c> checks <paramref name="key"/> = <paramref name="value"/>.</summary>
    private static JsonObject Branch(JsonObject schema, string key, string value) =>
        schema["allOf"]!.AsArray().Single(b => b!["if"]!["properties"]![key]!["const"]!.GetValue<string>() == value)!["then"]!.AsObject();

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>An <c>if</c> condition: it tests a value and describes nothing.</summary>
    private static bool IsCondition(JsonObject schema) =>
        schema["properties"] is JsonObject properties && properties.All(p => p.Value is JsonObject o && o.ContainsKey("const"));

    private static IEnumerable<JsonObject> Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var child in o.SelectMany(p => Walk(p.Value)))
                {
                    yield return child;
                }

                break;
            case JsonArray a:
                foreach (var child in a.SelectMany(Walk))
                {
                    yield return child;
                }

                break;
        }
    }
}
