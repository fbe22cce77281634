using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Schema;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// docs/ cannot rot: the pipeline reference and the connector pages' tables are generated from the same model as
/// the schema (set ETL_UPDATE_DOCS=1 to rewrite them), every command and option is documented, every pipeline
/// snippet validates, and every relative link leads somewhere.
/// </summary>
public sealed partial class DocsTests : IDisposable
{
    private const string Begin = "<!-- BEGIN GENERATED from the connector's descriptor; do not edit. Regenerate: " + SchemaMarkdown.UpdateInstruction + " -->";
    private const string End = "<!-- END GENERATED -->";

    private readonly TempFolder _folder = new();

    private static string DocsFolder => Path.Combine(Cli.RepositoryRoot, "docs");

    private static bool Update => Environment.GetEnvironmentVariable("ETL_UPDATE_DOCS") == "1";

    public static TheoryData<string> ConnectorTypes() => [.. ConnectorCatalog.Create().Types];

    public static TheoryData<string> MarkdownFiles() => [.. Pages()];

    [Fact]
    public void PipelineReference_InRepository_MatchesTheGeneratedReference()
    {
        var path = Path.Combine(DocsFolder, "pipeline-reference.md");
        var generated = SchemaMarkdown.Reference(ConnectorCatalog.Create());
        if (Update)
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path) && File.ReadAllText(path) == generated, $"docs/pipeline-reference.md is stale. Regenerate it from the repository root with:\n  {SchemaMarkdown.UpdateInstruction}");
    }

    [Fact]
    public void PipelineReference_EverySchemaProperty_AppearsWithItsDescription()
    {
        var reference = File.ReadAllText(Path.Combine(DocsFolder, "pipeline-reference.md"));
        var types = ConnectorCatalog.Create().Types.ToList();
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Cli.RepositoryRoot, "schema/pipeline.schema.json")))!;

        var properties = Properties(schema).ToList();

        Assert.NotEmpty(properties);
        foreach (var (name, description) in properties)
        {
            Assert.Contains($"`{name}`", reference, StringComparison.Ordinal);
            foreach (var line in description.Split('\n'))
            {
                var text = ConnectorPrefix(types).Match(line) is { Success: true } prefix ? line[prefix.Length..] : line;
                Assert.True(reference.Contains(SchemaMarkdown.Escape(text), StringComparison.Ordinal), $"the description of '{name}' is missing from docs/pipeline-reference.md: {text}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ConnectorTypes))]
    public void ConnectorPage_GeneratedTables_MatchTheDescriptor(string type)
    {
        var path = Path.Combine(DocsFolder, "connectors", type + ".md");
        Assert.True(File.Exists(path), $"docs/connectors/{type}.md is missing: every registered connector has a page");
        var text = File.ReadAllText(path);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/connectors/{type}.md needs the markers\n{Begin}\n{End}");
        var generated = $"{Begin}\n\n{SchemaMarkdown.Connector(ConnectorCatalog.Create().Get(type).Descriptor, 2).TrimEnd('\n')}\n\n";
        if (Update)
        {
            text = text[..start] + generated + text[end..];
            File.WriteAllText(path, text);
            end = start + generated.Length;
        }

        Assert.True(text[start..end] == generated, $"the generated tables of docs/connectors/{type}.md are stale. Regenerate them with:\n  {SchemaMarkdown.UpdateInstruction}");
    }

    [Fact]
    public async Task CliPage_EveryCommandAndOption_IsDocumented()
    {
        var page = File.ReadAllText(Path.Combine(DocsFolder, "cli.md"));
        var shared = Section(page, "## Options shared by several commands") ?? string.Empty;

        foreach (var command in await CommandsAsync([]))
        {
            var section = Section(page, $"## `etl {command}");
            Assert.True(section is not null, $"docs/cli.md has no section '## `etl {command} ...`'");
            var help = await Cli.RunAsync([.. command.Split(' '), "--help"]);
            foreach (var option in OptionLines().Matches(Block(help.Out, "OPTIONS:")).Select(m => m.Groups[1].Value).Where(o => o != "--help"))
            {
                Assert.True(section!.Contains($"`{option}", StringComparison.Ordinal) || shared.Contains($"`{option}", StringComparison.Ordinal), $"docs/cli.md: the section of 'etl {command}' does not mention {option}");
            }
        }
    }

    [Fact]
    public async Task Docs_CompletePipelineSnippets_AreValidForTheSchemaAndForValidate()
    {
        var snippets = Directory.EnumerateFiles(DocsFolder, "*.md", SearchOption.AllDirectories)
            .SelectMany(file => YamlBlocks().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetRelativePath(DocsFolder, file), Yaml: m.Groups[1].Value)))
            .Where(s => new[] { "project", "connections", "operations" }.All(key => s.Yaml.Contains($"\n{key}:", StringComparison.Ordinal) || s.Yaml.StartsWith($"{key}:", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(snippets);
        foreach (var (file, yaml) in snippets)
        {
            var schema = SchemaValidation.Evaluate(yaml);
            var validate = await Cli.RunAsync(["validate", _folder.Write("snippet.yaml", yaml)]);

            Assert.True(schema.IsValid, $"a pipeline in docs/{file} does not match the schema:\n{SchemaValidation.Describe(schema)}\n{yaml}");
            Assert.True(validate.ExitCode == 0, $"a pipeline in docs/{file} does not validate:\n{validate}\n{yaml}");
        }
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Docs_RelativeLinks_LeadToExistingFilesAndHeadings(string file)
    {
        var path = Path.Combine(DocsFolder, file);

        foreach (var link in Links().Matches(WithoutCode(File.ReadAllText(path))).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://", StringComparison.Ordinal) && !l.StartsWith("mailto:", StringComparison.Ordinal)))
        {
            var parts = link.Split('#', 2);
            var target = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            Assert.True(File.Exists(target) || Directory.Exists(target), $"docs/{file}: the link '{link}' leads nowhere");
            if (parts.Length == 2 && target.EndsWith(".md", StringComparison.Ordinal))
            {
                Assert.True(Anchors(File.ReadAllText(target)).Contains(parts[1]), $"docs/{file}: '{link}' names no heading of {Path.GetFileName(target)}");
            }
        }
    }

    [Fact]
    public void Index_LinksEveryPage()
    {
        var index = File.ReadAllText(Path.Combine(DocsFolder, "README.md"));

        foreach (var page in Pages().Where(p => p != "README.md"))
        {
            Assert.True(index.Contains($"]({page}", StringComparison.Ordinal), $"docs/README.md does not link {page}");
        }
    }

    public void Dispose() => _folder.Dispose();

    private static IEnumerable<string> Pages() =>
        Directory.EnumerateFiles(DocsFolder, "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DocsFolder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);

    /// <summary>Every (name, description) under a <c>properties</c> keyword, leaving out <c>if</c> conditions.</summary>
    private static IEnumerable<(string Name, string Description)> Properties(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array.SelectMany(Properties))
            {
                yield return item;
            }
        }

        if (node is not JsonObject schema)
        {
            yield break;
        }

        foreach (var (key, value) in schema.Where(p => p.Key != "if"))
        {
            if (key == "properties" && value is JsonObject properties)
            {
                foreach (var (name, property) in properties)
                {
                    yield return (name, property!["description"]!.GetValue<string>());
                }
            }

            foreach (var item in Properties(value))
            {
                yield return item;
            }
        }
    }

    private static Regex ConnectorPrefix(IEnumerable<string> types) => new($"^(?:{string.Join("|", types.Select(Regex.Escape))})(?:, (?:{string.Join("|", types.Select(Regex.Escape))}))*: ");

    /// <summary>The command paths of the CLI (<c>run</c>, <c>sandbox constantcontact</c>), from its own help.</summary>
    private static async Task<List<string>> CommandsAsync(string[] prefix)
    {
        var help = await Cli.RunAsync([.. prefix, "--help"]);
        var result = new List<string>();
        foreach (var name in CommandLines().Matches(Block(help.Out, "COMMANDS:")).Select(m => m.Groups[1].Value))
        {
            var path = prefix.Append(name).ToArray();
            var sub = await Cli.RunAsync([.. path, "--help"]);
            result.AddRange(sub.Out.Contains("COMMANDS:", StringComparison.Ordinal) ? await CommandsAsync(path) : [string.Join(' ', path)]);
        }

        return result;
    }

    /// <summary>The lines of a help block (<c>OPTIONS:</c>) up to the next blank line.</summary>
    private static string Block(string help, string title)
    {
        var start = help.IndexOf("\n" + title, StringComparison.Ordinal);
        if (start < 0 && !help.StartsWith(title, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var body = help[(start + 1 + title.Length)..];
        var end = body.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? body : body[..end];
    }

    /// <summary>A level-2 section from its heading to the next level-2 heading, or null.</summary>
    private static string? Section(string page, string headingStart)
    {
        var start = page.IndexOf("\n" + headingStart, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Headings().Matches(WithoutCode(markdown)))
        {
            var slug = string.Concat(heading.Groups[1].Value.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    private static string WithoutCode(string markdown) => Fences().Replace(markdown, string.Empty);

    [GeneratedRegex(@"^\s{4}([a-z][a-z-]*)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLines();

    [GeneratedRegex(@"^\s+(?:-\w, )?(--[a-z][a-z-]*)", RegexOptions.Multiline)]
    private static partial Regex OptionLines();

    [GeneratedRegex(@"^```yaml\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlocks();

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fences();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Links();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Headings();
}
