using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Schema;
using EtlRunner.Testing;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// <c>etl schema</c>, the committed schema/pipeline.schema.json, and the agreement between the schema and
/// <c>etl validate</c>: the repository's pipelines pass both, every invalid fixture fails both.
/// </summary>
public sealed class SchemaTests : IDisposable
{
    private const string SchemaPath = "schema/pipeline.schema.json";
    private const string Regenerate = "dotnet run --project src/EtlRunner.Cli -- schema > schema/pipeline.schema.json";

    private readonly TempFolder _folder = new();

    /// <summary>The valid pipeline the invalid fixtures are variations of; numbers and booleans given as [variables].</summary>
    private const string ValidPipeline = """
        project: fixture
        variables:
          batch_size: 250
          has_header: "true"
          busy_timeout: 10
          conflict: upsert
        connections:
          - name: Signups
            type: csv
            path: signups.csv
            header: "[has_header]"
          - name: Warehouse
            type: sqlite
            database: out/warehouse.db
            busy_timeout: "[busy_timeout]"
        operations:
          - name: Load
            source: { connection: Signups, activity: query }
            transform:
              where: record.opt_in == "yes"
              map: { email: "{{ record.email }}", count: 1 }
            target: { connection: Warehouse, activity: create, table: contacts, create_table: true, key: email, on_conflict: "[conflict]" }
            options: { batch_size: "[batch_size]", max_rejects: "5", timeout: 90 }
        """;

    public static TheoryData<string> RepositoryYamlFiles() => Files("pipelines", "examples");

    public static TheoryData<string> InvalidFixtures() => Files("tests/EtlRunner.Cli.Tests/Fixtures/invalid");

    [Fact]
    public async Task Schema_Command_PrintsTheGeneratedSchemaAsPureJson()
    {
        var result = await Cli.RunAsync(["schema"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(PipelineSchema.Generate(ConnectorCatalog.Create()), result.Out);
        Assert.Equal(PipelineSchema.Draft, JsonNode.Parse(result.Out)!["$schema"]!.GetValue<string>());
    }

    [Fact]
    public async Task Help_Always_ListsTheSchemaCommandWithItsExample()
    {
        var help = await Cli.RunAsync(["--help"]);
        var schemaHelp = await Cli.RunAsync(["schema", "--help"]);

        Assert.Matches(new Regex(@"^\s+schema\s+Print the JSON schema", RegexOptions.Multiline), help.Out);
        Assert.Matches(new Regex(@"^\s+etl schema\s*$", RegexOptions.Multiline), schemaHelp.Out);
    }

    [Fact]
    public async Task SchemaFile_InRepository_MatchesTheGeneratedSchema()
    {
        var committed = File.ReadAllText(Path.Combine(Cli.RepositoryRoot, SchemaPath));

        var result = await Cli.RunAsync(["schema"]);

        Assert.True(committed == result.Out, $"{SchemaPath} is stale: it differs from what `etl schema` prints now. Regenerate it from the repository root with:\n  {Regenerate}");
    }

    [Fact]
    public void SchemaFile_AgainstTheDraft07MetaSchema_IsValid()
    {
        var schema = JsonNode.Parse(PipelineSchema.Generate(ConnectorCatalog.Create()));

        var result = MetaSchemas.Draft7.Evaluate(schema, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, SchemaValidation.Describe(result));
    }

    [Theory]
    [MemberData(nameof(RepositoryYamlFiles))]
    public void RepositoryYaml_FirstLine_PointsEditorsToTheSchema(string file)
    {
        var path = Path.Combine(Cli.RepositoryRoot, file);
        var expected = Path.GetRelativePath(Path.GetDirectoryName(path)!, Path.Combine(Cli.RepositoryRoot, SchemaPath)).Replace('\\', '/');

        var firstLine = File.ReadLines(path).First();

        Assert.Equal($"# yaml-language-server: $schema={expected}", firstLine);
    }

    [Theory]
    [MemberData(nameof(RepositoryYamlFiles))]
    public void RepositoryYaml_AgainstTheSchema_IsValid(string file)
    {
        var result = SchemaValidation.Evaluate(File.ReadAllText(Path.Combine(Cli.RepositoryRoot, file)));

        Assert.True(result.IsValid, $"{file}:\n{SchemaValidation.Describe(result)}");
    }

    [Fact]
    public async Task ValidPipeline_WithVariablesInTypedFields_IsAcceptedBySchemaAndValidate()
    {
        var file = _folder.Write("valid.yaml", ValidPipeline);

        var schema = SchemaValidation.Evaluate(ValidPipeline);
        var validate = await Cli.RunAsync(["validate", file]);

        Assert.True(schema.IsValid, SchemaValidation.Describe(schema));
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public void InvalidFixture_AgainstTheSchema_IsRejectedWhereTheFixtureSays(string file)
    {
        var text = File.ReadAllText(Path.Combine(Cli.RepositoryRoot, file));
        var expected = Regex.Match(text, @"^# Schema error at: (.+)$", RegexOptions.Multiline).Groups[1].Value.Trim();

        var result = SchemaValidation.Evaluate(text);

        Assert.False(result.IsValid, $"the schema accepts {file}");
        var locations = SchemaValidation.Failures(result).Select(f => f.Location).ToList();
        Assert.True(locations.Contains(expected == "(root)" ? string.Empty : expected), $"{file}: expected an error at {expected}, got:\n{SchemaValidation.Describe(result)}");
    }

    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public async Task InvalidFixture_Validate_ExitsWith2(string file)
    {
        var result = await Cli.RunAsync(["validate", Path.Combine(Cli.RepositoryRoot, file)]);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    public void Dispose() => _folder.Dispose();

    private static TheoryData<string> Files(params string[] folders)
    {
        var data = new TheoryData<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Cli.RepositoryRoot, folder), "*.y*ml", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is ".etl" or "out"))
                .Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Cli.RepositoryRoot, file).Replace('\\', '/'));
            }
        }

        return data;
    }
}

/// <summary>Validates YAML text against the generated schema, as an editor's YAML language server would.</summary>
internal static class SchemaValidation
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(PipelineSchema.Generate(ConnectorCatalog.Create())));

    // One evaluation at a time: the schema is shared by test classes that run in parallel (SchemaTests, DocsTests), and
    // JsonSchema.Net fills its caches as it evaluates. An invalid fixture was found valid twice in full runs, never alone.
    private static readonly Lock Gate = new();

    public static EvaluationResults Evaluate(string yaml)
    {
        var document = YamlJson.Convert(yaml);
        lock (Gate)
        {
            return Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        }
    }

    /// <summary>The errors that make the document invalid: failed <c>if</c> conditions and passing branches left out.</summary>
    public static IEnumerable<(string Location, string Message)> Failures(EvaluationResults node)
    {
        if (node.IsValid || node.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            yield return (node.InstanceLocation.ToString(), $"{keyword}: {message} (schema {node.EvaluationPath})");
        }

        foreach (var failure in (node.Details ?? []).SelectMany(Failures))
        {
            yield return failure;
        }
    }

    public static string Describe(EvaluationResults results) =>
        string.Join("\n", Failures(results).Select(f => $"  {(f.Location.Length == 0 ? "(root)" : f.Location)}: {f.Message}"));
}

/// <summary>
/// YAML to JSON with YAML 1.2 core scalars, as the loader reads them: plain true/false are booleans, plain whole
/// and decimal numbers are numbers, plain null, ~ or nothing is null; quoted and block scalars stay text.
/// </summary>
internal static partial class YamlJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode);
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(e => KeyValuePair.Create(((YamlScalarNode)e.Key).Value ?? string.Empty, Node(e.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Node)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || (!scalar.Tag.IsEmpty && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str"))
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
