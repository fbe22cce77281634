using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Testing;
using Scriban.Functions;
using Scriban.Runtime;

namespace EtlRunner.Core.Tests.Expressions;

/// <summary>The built-ins expressions see, made on demand, are Scriban's own: same names, same members, same behaviour.</summary>
public sealed class ScriptBuiltinsTests
{
    [Fact]
    public void Members_AreScribansBuiltinsNameForName()
    {
        var scriban = new BuiltinFunctions();

        Assert.Equal(scriban.Keys.Order(StringComparer.Ordinal), ScriptBuiltins.Names.Order(StringComparer.Ordinal));
        foreach (var name in scriban.Keys)
        {
            var expected = scriban[name] is ScriptObject members ? members.Keys.Order(StringComparer.Ordinal).ToList() : null;
            Assert.Equal(expected, ScriptBuiltins.MembersOf(name)?.Order(StringComparer.Ordinal).ToList());
        }
    }

    [Theory]
    [InlineData("{{ math.round 2.567 1 }}", 2.6)]
    [InlineData("{{ array.size [1, 2, 3] }}", 3L)]
    [InlineData("{{ 'a,b' | string.split ',' | array.join '-' }}", "a-b")]
    [InlineData("{{ regex.replace 'a1b2' '[0-9]' '' }}", "ab")]
    [InlineData("{{ html.escape '<b>' }}", "&lt;b&gt;")]
    [InlineData("{{ timespan.from_seconds(90).total_seconds }}", 90.0)]
    [InlineData("{{ '' | string.empty }}", true)]
    [InlineData("{{ object.typeof 1 }}", "number")]
    public void Evaluate_BuiltinObject_WorksAsInScriban(string text, object expected)
    {
        Assert.Equal(expected, Runtime().Evaluate(Template(text), record: null));
    }

    private static ScriptRuntime Runtime()
    {
        var pipeline = new PipelineHarness().LoadValid("project: demo\nconnections: []\noperations: []\n");
        var project = ProjectVariables.Resolve(pipeline, PipelineHarness.NoEnvironment, new DiagnosticBag());
        var system = new SystemVariables { ProjectName = "demo", RunId = "r1", RunStartTime = DateTimeOffset.UnixEpoch, OperationName = "Load" };
        return new ScriptRuntime(new VariableScope(new Dictionary<string, object?>(), project, system)) { UseCompiled = false };
    }

    private static ScriptTemplate Template(string text)
    {
        var diagnostics = new DiagnosticBag();
        var template = ScriptTemplate.ParseTemplate(new Located(text, new SourceLocation("p.yaml", 1, 1)), diagnostics);
        Assert.Empty(diagnostics.Items);
        return template;
    }
}
