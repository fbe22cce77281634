using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Expressions;

public sealed class ScriptRuntimeTests
{
    private static readonly SourceLocation At = new("p.yaml", 10, 15);

    private static ScriptRuntime Runtime(IReadOnlyDictionary<string, object?>? globals = null)
    {
        var pipeline = new PipelineHarness().LoadValid("project: demo\nvariables:\n  greeting: hello\nconnections: []\noperations: []\n");
        var project = ProjectVariables.Resolve(pipeline, PipelineHarness.NoEnvironment, new DiagnosticBag());
        var system = new SystemVariables { ProjectName = "demo", RunId = "r1", RunStartTime = DateTimeOffset.UnixEpoch, OperationName = "Load" };
        return new ScriptRuntime(new VariableScope(globals ?? new Dictionary<string, object?>(), project, system));
    }

    private static ScriptTemplate Template(string text)
    {
        var diagnostics = new DiagnosticBag();
        var template = ScriptTemplate.ParseTemplate(new Located(text, At), diagnostics);
        Assert.Empty(diagnostics.Items);
        return template;
    }

    [Fact]
    public void Evaluate_SingleExpression_KeepsItsType()
    {
        var record = Some.Record(("age", 41L), ("tags", new List<object?> { "a", "b" }));

        Assert.Equal(42L, Runtime().Evaluate(Template("{{ record.age + 1 }}"), record));
        Assert.Equal(true, Runtime().Evaluate(Template("{{ record.age > 40 }}"), record));
        Assert.Null(Runtime().Evaluate(Template("{{ null }}"), record));
        Assert.Equal(new List<object?> { "a", "b" }, Runtime().Evaluate(Template("{{ record.tags }}"), record));
    }

    [Fact]
    public void Evaluate_MixedText_YieldsText()
    {
        Assert.Equal("n=41", Runtime().Evaluate(Template("n={{ record.age }}"), Some.Record(("age", 41L))));
    }

    [Fact]
    public void Evaluate_NestedPath_ReadsNestedObjects()
    {
        var record = Some.Record(("email_address", new Dictionary<string, object?> { ["address"] = "A@B.C" }));

        Assert.Equal("a@b.c", Runtime().Evaluate(Template("{{ record.email_address.address | string.downcase }}"), record));
    }

    [Fact]
    public void Evaluate_VariablesByBareNameAndSystemNames()
    {
        var result = Runtime(new Dictionary<string, object?> { ["last"] = "x" })
            .Evaluate(Template("{{ greeting }} {{ last }} {{ system.operation.name }} {{ jitterbit.run.id }}"), null);

        Assert.Equal("hello x Load r1", result);
    }

    [Fact]
    public void Evaluate_RecordValueWithBraces_IsDataNotCode()
    {
        var record = Some.Record(("name", "{{ 6 * 7 }}"));

        Assert.Equal("{{ 6 * 7 }}", Runtime().Evaluate(Template("{{ record.name }}"), record));
    }

    [Fact]
    public void Evaluate_RunawayLoop_IsCutOff()
    {
        var ex = Assert.Throws<ScriptEvaluationException>(() => Runtime().Evaluate(Template("{{ for i in 1..100000000 }}{{ end }}"), null));

        Assert.Contains("loop", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Evaluate_RunawayRecursion_IsCutOff()
    {
        Assert.Throws<ScriptEvaluationException>(() => Runtime().Evaluate(Template("{{ func f; ret f; end; f }}"), null));
    }

    [Theory]
    [InlineData("{{ include 'secret.txt' }}")]
    [InlineData("{{ environment.GetEnvironmentVariable 'PATH' }}")]
    [InlineData("{{ record.GetType }}")]
    public void Evaluate_NoAccessToFilesEnvironmentOrReflection(string text)
    {
        var record = Some.Record(("a", "b"));

        var result = Record.TryEvaluate(() => Runtime().Evaluate(Template(text), record));

        Assert.True(result is null or "", $"expected nothing, got '{result}'");
    }

    [Fact]
    public void IsTrue_NonBoolean_ExplainsWhatItGot()
    {
        var diagnostics = new DiagnosticBag();
        var where = ScriptTemplate.ParseExpression(new Located("record.name", At), diagnostics);

        var ex = Assert.Throws<ScriptEvaluationException>(() => Runtime().IsTrue(where, Some.Record(("name", "x"))));

        Assert.Contains("must be true or false, but gave the text \"x\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxError_ReportsPositionInTheYamlFile()
    {
        var diagnostics = new DiagnosticBag();

        ScriptTemplate.ParseExpression(new Located("record.a ==", At), diagnostics);

        var problem = Assert.Single(diagnostics.Items);
        Assert.StartsWith("expression error in 'record.a =='", problem.Message, StringComparison.Ordinal);
        Assert.Equal(10, problem.Location.Line);
        Assert.True(problem.Location.Column >= 15);
    }

    private static class Record
    {
        public static object? TryEvaluate(Func<object?> evaluate)
        {
            try
            {
                return evaluate();
            }
            catch (ScriptEvaluationException)
            {
                return null;
            }
        }
    }
}
