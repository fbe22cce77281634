using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Expressions;

/// <summary>The compiled fast path must give exactly what Scriban's interpreter gives.</summary>
public sealed class CompiledExpressionTests
{
    private static readonly Connectors.Record[] Records =
    [
        Some.Record(("email", " Ada@Example.COM "), ("opt_in", "yes"), ("age", 36L), ("score", 2.5), ("vip", true), ("nested", new Dictionary<string, object?> { ["address"] = "X@Y.Z" })),
        Some.Record(("email", ""), ("opt_in", "no"), ("age", null), ("score", 0.0), ("vip", false), ("nested", null)),
        Some.Record(("email", null), ("opt_in", "YES"), ("age", "41"), ("score", -1L), ("vip", "true"), ("nested", "text")),
        Some.Record(("other", 1L)),
    ];

    public static TheoryData<string> Templates() =>
    [
        "{{ record.email }}",
        "{{ record.email | string.downcase }}",
        "{{ record.email | string.strip | string.upcase }}",
        "{{ string.capitalize record.opt_in }}",
        "{{ record.email | string.size }}",
        "{{ record.age }}",
        "{{ record.age + 1 }}",
        "{{ record.score * 2 }}",
        "{{ record.age > 40 }}",
        "{{ record.opt_in == 'yes' }}",
        "{{ record.opt_in != 'yes' && record.vip }}",
        "{{ record.vip || record.age }}",
        "{{ !record.vip }}",
        "{{ -record.score }}",
        "{{ record.email == '' ? null : (record.email | string.strip | string.downcase) }}",
        "{{ record.nested.address | string.downcase }}",
        "{{ record.missing.deeper }}",
        "{{ greeting }}-{{ record.opt_in }}",
        "{{ system.operation.name }} {{ jitterbit.run.id }}",
        "plain text",
        "{{ record.first }} {{ record.age }} {{ record.vip }} {{ record.score }}",
        "{{ 1.5 + record.score }}",
        "{{ record.age < record.score }}",
        "{{ record.email + '!' }}",
        "{{ record.nested?.address }}",
        "{{ record.nested?.address | string.downcase }}",
        "{{ record.missing?.deeper.still }}",
        "{{ record.nested?.address == null ? 'none' : 'some' }}",
    ];

    [Theory]
    [MemberData(nameof(Templates))]
    public void Evaluate_Compiled_MatchesInterpreter(string text)
    {
        var template = Parse(text);
        var compiled = Runtime(useCompiled: true);
        var interpreted = Runtime(useCompiled: false);

        foreach (var record in Records)
        {
            var expected = Outcome(() => interpreted.Evaluate(template, record));
            var actual = Outcome(() => compiled.Evaluate(template, record));
            Assert.True(Equals(expected, actual), $"'{text}' on {string.Join(",", record.Select(f => $"{f.Key}={f.Value}"))}: interpreter {expected}, compiled {actual}");
        }
    }

    [Fact]
    public void Evaluate_SafeNavigationOnNull_GivesNullOnBothPaths()
    {
        var withEmail = Connectors.Record.From([KeyValuePair.Create("email_address", (object?)new Dictionary<string, object?> { ["address"] = "a@b.c" })], "contact 1");
        var withoutEmail = Connectors.Record.From([KeyValuePair.Create("email_address", (object?)null)], "contact 2");
        var template = Parse("{{ record.email_address?.address }}");

        foreach (var runtime in new[] { Runtime(useCompiled: true), Runtime(useCompiled: false) })
        {
            Assert.Equal("a@b.c", runtime.Evaluate(template, withEmail));
            Assert.Null(runtime.Evaluate(template, withoutEmail));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Evaluate_MemberOfNull_ReasonNamesThePathAndTheRecord(bool useCompiled)
    {
        var record = Connectors.Record.From([KeyValuePair.Create("email_address", (object?)null)], "contact 5b1f");

        var error = Assert.Throws<ScriptEvaluationException>(() => Runtime(useCompiled).Evaluate(Parse("{{ record.email_address.address | string.downcase }}"), record));

        Assert.Equal("'{{ record.email_address.address | string.downcase }}': record.email_address is null in contact 5b1f; write record.email_address?.address to read it as null", error.Message);
    }

    private static object? Outcome(Func<object?> evaluate)
    {
        try
        {
            return evaluate() is { } value ? $"{value.GetType().Name}:{value}" : "null";
        }
        catch (ScriptEvaluationException)
        {
            return "error";
        }
    }

    private static ScriptTemplate Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        var template = ScriptTemplate.ParseTemplate(new Located(text, new SourceLocation("p.yaml", 1, 1)), diagnostics);
        Assert.Empty(diagnostics.Items);
        return template;
    }

    private static ScriptRuntime Runtime(bool useCompiled)
    {
        var pipeline = new PipelineHarness().LoadValid("project: demo\nvariables:\n  greeting: hello\nconnections: []\noperations: []\n");
        var project = ProjectVariables.Resolve(pipeline, PipelineHarness.NoEnvironment, new DiagnosticBag());
        var system = new SystemVariables { ProjectName = "demo", RunId = "r1", RunStartTime = DateTimeOffset.UnixEpoch, OperationName = "Load" };
        return new ScriptRuntime(new VariableScope(new Dictionary<string, object?>(), project, system)) { UseCompiled = useCompiled };
    }
}
