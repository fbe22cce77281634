using System.Text;
using EtlRunner.Connectors;
using EtlRunner.Planning;
using EtlRunner.Loading;
using static EtlRunner.Schema.MarkdownTable;

namespace EtlRunner.Schema;

/// <summary>
/// The pipeline file reference in Markdown (docs/pipeline-reference.md), generated from the same model as
/// <see cref="PipelineSchema"/>: <see cref="PipelineKeys"/> and the connectors' descriptors, descriptions verbatim.
/// </summary>
public static class SchemaMarkdown
{
    public const string UpdateInstruction = "ETL_UPDATE_DOCS=1 dotnet test tests/EtlRunner.Cli.Tests --filter DocsTests";

    /// <summary>Text as it appears in a table cell of the generated Markdown.</summary>
    public static string Escape(string text) => Cell(text);

    public static string Reference(ConnectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = new StringBuilder();
        text.Append("# Pipeline file reference\n\n");
        text.Append($"<!-- Generated from PipelineKeys and the connectors' descriptors (src/EtlRunner.Core/Schema/SchemaMarkdown.cs). Do not edit; regenerate with: {UpdateInstruction} -->\n\n");
        text.Append("Every key a pipeline file accepts, with the descriptions that `etl validate`, the JSON schema ([`etl schema`](cli.md#etl-schema), ");
        text.Append("[schema/pipeline.schema.json](../schema/pipeline.schema.json)) and editors show. Any other key is an error.\n\n");
        text.Append("Types: **text**; **whole number**; **number**; **true/false**; **list** (a YAML list, or text with comma-separated items); ");
        text.Append("**mapping** (`name: value` entries); **path** (text; a relative path resolves against the folder of the YAML file). ");
        text.Append("A whole number, number or true/false field also accepts text that resolves to one, such as `batch_size: \"[batch_size]\"`: ");
        text.Append("`[variables]` are resolved in every text value of connections, activities and options (see [variables.md](variables.md)).\n\n");

        Section(text, "## Top level", null, PipelineKeys.Top);
        Section(text, "## `variables`", "Each entry is `name: default` or `name: { ... }` with these keys:", PipelineKeys.Variable, withRequired: false);
        Section(text, "## `environments`", "Each entry is `name: { ... }` with these keys:", PipelineKeys.Environment, withRequired: false);
        var types = string.Join(", ", registry.All.Select(c => Code(c.Descriptor.Type)));
        Section(text, "## `connections`", $"Each item has these keys, and the fields of its connector type ({types}), listed under [Connectors](#connectors).", PipelineKeys.Connection);
        Section(text, "## `operations`", "Each item has these keys:", PipelineKeys.Operation);
        Section(text, "### `source` and `target`", "These keys, and the parameters of the activity for the connection's type, listed under [Connectors](#connectors). A source's activity is `query`; a target's is `create`, `update` or `delete`, or one its connector declares (Constant Contact's `add_to_lists`, `unsubscribe`, …).", PipelineKeys.Activity);
        Section(text, "### `source` only", null, PipelineKeys.SourceOnly);
        Section(text, "#### `incremental`", null, PipelineKeys.Incremental);
        Section(text, "### `transform`", null, PipelineKeys.Transform, withRequired: false);
        Options(text);
        Section(text, "## `tests`", "Each item is a unit test of one operation's transform, run by `etl validate` (see [testing.md](testing.md)):", PipelineKeys.Test);
        Section(text, "### `expect_rejected` items", null, PipelineKeys.RejectExpectation);
        Section(text, "## `schedules`", "Each item is a schedule that `etl agent` runs (see [agents.md](agents.md)):", PipelineKeys.Schedule);

        text.Append("## Connectors\n\n");
        foreach (var descriptor in registry.All.Select(c => c.Descriptor))
        {
            text.Append($"### `{descriptor.Type}`\n\n{Cell(descriptor.Description)} ({descriptor.DescribeSupportedActivities()}.)\n\n");
            text.Append(Connector(descriptor, 4));
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>A connector's connection fields and each activity's parameters, under headings of <paramref name="level"/>.</summary>
    public static string Connector(ConnectorDescriptor descriptor, int level)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var text = new StringBuilder();
        var heading = new string('#', level);
        text.Append($"{heading} Connection fields\n\nBeside `name` and `type: {descriptor.Type}`:\n\n");
        Parameters(text, descriptor.ConnectionParameters, "Field");
        foreach (var activity in descriptor.Activities)
        {
            text.Append($"{heading} `{activity.Kind.ToName()}`\n\n{Cell(activity.Description)}\n\n");
            if (activity.Parameters.Count == 0)
            {
                text.Append("No parameters beside `connection` and `activity`.\n\n");
            }
            else
            {
                Parameters(text, activity.Parameters, "Parameter");
            }
        }

        return text.ToString();
    }

    private static void Section(StringBuilder text, string heading, string? intro, IReadOnlyList<KeySpec> keys, bool withRequired = true)
    {
        text.Append(heading).Append("\n\n");
        if (intro is not null)
        {
            text.Append(intro).Append("\n\n");
        }

        var table = withRequired ? new MarkdownTable("Key", "Required", "Description") : new MarkdownTable("Key", "Description");
        foreach (var key in keys)
        {
            _ = withRequired
                ? table.Row(Code(key.Name), key.Required ? "yes" : string.Empty, key.Description)
                : table.Row(Code(key.Name), key.Description);
        }

        table.WriteTo(text);
    }

    private static void Options(StringBuilder text)
    {
        text.Append("### `options`\n\n");
        var table = new MarkdownTable("Key", "Type", "Default", "Description");
        foreach (var spec in OperationOptions.Specs)
        {
            table.Row(Code(spec.Name), TypeOf(spec), DefaultOf(spec), spec.Description);
        }

        table.WriteTo(text);
    }

    private static void Parameters(StringBuilder text, IReadOnlyList<ParameterSpec> specs, string header)
    {
        var table = new MarkdownTable(header, "Type", "Required", "Default", "Description");
        foreach (var spec in specs)
        {
            table.Row(Code(spec.Name), TypeOf(spec), spec.Required ? "yes" : string.Empty, DefaultOf(spec), spec.Description);
        }

        table.WriteTo(text);
    }
}
