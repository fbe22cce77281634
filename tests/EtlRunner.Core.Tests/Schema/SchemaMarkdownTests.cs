using EtlRunner.Loading;
using EtlRunner.Schema;

namespace EtlRunner.Core.Tests.Schema;

public sealed class SchemaMarkdownTests
{
    private static readonly string Reference = SchemaMarkdown.Reference(DescriptorConnector.AlphaAndBeta());

    [Fact]
    public void Reference_EveryPipelineKey_AppearsWithItsDescription()
    {
        var keys = PipelineKeys.Top.Concat(PipelineKeys.Variable).Concat(PipelineKeys.Environment).Concat(PipelineKeys.Connection)
            .Concat(PipelineKeys.Operation).Concat(PipelineKeys.Activity).Concat(PipelineKeys.SourceOnly).Concat(PipelineKeys.Incremental)
            .Concat(PipelineKeys.Transform).Concat(PipelineKeys.Options);

        foreach (var key in keys)
        {
            Assert.Contains($"| `{key.Name}` |", Reference, StringComparison.Ordinal);
            Assert.Contains(SchemaMarkdown.Escape(key.Description), Reference, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Reference_ConnectorField_ShowsTypeRequiredDefaultAndDescription()
    {
        Assert.Contains("| `file` | path | yes |  | The alpha file. |", Reference, StringComparison.Ordinal);
        Assert.Contains("| `retries` | whole number, 0 to 10 |  | `3` | Retries per write. |", Reference, StringComparison.Ordinal);
        Assert.Contains("| `token` | text, secret |  |  | The alpha token. |", Reference, StringComparison.Ordinal);
        Assert.Contains("| `mode` | one of `overwrite`, `append` |  | `overwrite` | Alpha write mode. |", Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_Connectors_HaveASectionEachWithTheirActivities()
    {
        Assert.Contains("### `alpha`\n\nAlpha files. (alpha connections support query and create.)", Reference, StringComparison.Ordinal);
        Assert.Contains("#### `delete`\n\nDeletes beta.", Reference, StringComparison.Ordinal);
        Assert.Contains("### `beta`\n\nBeta service. (beta connections support query, create, delete and archive.)", Reference, StringComparison.Ordinal);
        Assert.Contains("#### `archive`\n\nArchives beta.", Reference, StringComparison.Ordinal);
        Assert.EndsWith("|\n", Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Connector_ActivityWithoutParameters_SaysSo()
    {
        var alpha = DescriptorConnector.AlphaAndBeta().Get("alpha").Descriptor;

        var text = SchemaMarkdown.Connector(alpha, 2);

        Assert.StartsWith("## Connection fields\n", text, StringComparison.Ordinal);
        Assert.Contains("## `query`\n\nReads alpha.\n\nNo parameters beside `connection` and `activity`.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_MarkdownSpecialCharacters_AreEscaped()
    {
        Assert.Equal(@"a \| b \*\*\* &lt;NAME>", SchemaMarkdown.Escape("a | b *** <NAME>"));
    }
}
