using EtlRunner.Expressions;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Validation;

public sealed class PipelineValidatorTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private static string Pipeline(string operations, string variables = "") => $$"""
        project: demo
        {{variables}}
        connections:
          - { name: In, type: memory, store: input }
          - { name: Out, type: memory, store: output }
        operations:
        {{operations}}
        """;

    private const string Copy = """
          - name: Copy
            source: { connection: In, activity: query }
            target: { connection: Out, activity: create }

        """;

    private List<string> Messages(string yaml, VariableInputs? inputs = null, bool requireValues = true) =>
        [.. _harness.Problems(yaml, inputs, requireValues).Select(d => d.Message)];

    [Fact]
    public void Validate_ValidPipeline_HasNoProblems()
    {
        Assert.Empty(Messages(Pipeline(Copy)));
    }

    [Fact]
    public void Validate_UnknownConnection_SuggestsTheNearest()
    {
        var messages = Messages(Pipeline(Copy.Replace("connection: In,", "connection: Inn,", StringComparison.Ordinal)));

        Assert.Contains("the source of operation 'Copy': no connection named 'Inn' (did you mean 'In'?); declared connections: In, Out", messages);
    }

    [Fact]
    public void Validate_UnsupportedActivity_SaysWhichTheConnectorSupports()
    {
        var messages = Messages(Pipeline(Copy.Replace("activity: create", "activity: update", StringComparison.Ordinal)));

        Assert.Contains("the target of operation 'Copy': memory connections support query, create and append, not update", messages);
    }

    [Fact]
    public void Validate_ConnectorsOwnTargetActivity_IsAcceptedAsATargetOnly()
    {
        var asTarget = Messages(Pipeline(Copy.Replace("activity: create", "activity: append", StringComparison.Ordinal)));
        var asSource = Messages(Pipeline(Copy.Replace("activity: query", "activity: append", StringComparison.Ordinal)));
        var misspelt = Messages(Pipeline(Copy.Replace("activity: create", "activity: apend", StringComparison.Ordinal)));

        Assert.Empty(asTarget);
        Assert.Contains("the source of operation 'Copy': 'append' writes records; a source's activity is query", asSource);
        Assert.Contains("the target of operation 'Copy': unknown activity 'apend' (did you mean 'append'?); memory connections support query, create and append", misspelt);
    }

    [Fact]
    public void Validate_QueryAsTarget_IsRefused()
    {
        var messages = Messages(Pipeline(Copy.Replace("activity: create", "activity: query", StringComparison.Ordinal)));

        Assert.Contains("the target of operation 'Copy': 'query' reads records; a target's activity is create or append", messages);
    }

    [Fact]
    public void Validate_DuplicateAndInvalidNames_AreReported()
    {
        var messages = Messages(Pipeline(Copy + Copy.Replace("name: Copy", "name: \"a/b\"", StringComparison.Ordinal) + Copy));

        Assert.Contains("invalid operation name 'a/b': names must not contain '/' or ':'", messages);
        Assert.Contains(messages, m => m.StartsWith("duplicate operation name 'Copy'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ChainLoop_IsReported()
    {
        var yaml = Pipeline(Copy.Replace("target:", "on_success: Back\n    target:", StringComparison.Ordinal) +
            Copy.Replace("name: Copy", "name: Back", StringComparison.Ordinal).Replace("target:", "on_success: Copy\n    target:", StringComparison.Ordinal));

        Assert.Contains(Messages(yaml), m => m.StartsWith("the chain loops: Copy -> Back -> Copy", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ChainToMissingOperation_IsReported()
    {
        var yaml = Pipeline(Copy.Replace("target:", "on_success: Reprot\n    target:", StringComparison.Ordinal));

        Assert.Contains("on_success of operation 'Copy': no operation named 'Reprot'", Messages(yaml));
    }

    [Fact]
    public void Validate_UndefinedVariable_GivesFileLineAndColumn()
    {
        var yaml = Pipeline(Copy).Replace("store: output", "store: \"x-[out_store]\"", StringComparison.Ordinal);
        var problem = Assert.Single(_harness.Problems(yaml));
        Assert.Equal("undefined variable 'out_store' (searched global, project and system variables)", problem.Message);
        Assert.Equal(5, problem.Location.Line);
        Assert.Equal(42, problem.Location.Column);
    }

    [Fact]
    public void Validate_GlobalSetUpstream_IsDefinedOnlyDownstream()
    {
        var yaml = Pipeline(
            Copy.Replace("target:", "set: { batch_tag: \"x\" }\n    on_success: Next\n    target:", StringComparison.Ordinal) +
            Copy.Replace("name: Copy", "name: Next", StringComparison.Ordinal).Replace("activity: query", "activity: query, delay_ms: \"[batch_tag]\"", StringComparison.Ordinal) +
            Copy.Replace("name: Copy", "name: Other", StringComparison.Ordinal).Replace("activity: query", "activity: query, delay_ms: \"[batch_tag]\"", StringComparison.Ordinal));

        var messages = Messages(yaml);

        Assert.Single(messages);
        Assert.StartsWith("undefined variable 'batch_tag'", messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WrongValueType_NamesFieldAndType()
    {
        var messages = Messages(Pipeline(Copy.Replace("activity: query", "activity: query, delay_ms: soon", StringComparison.Ordinal)));

        Assert.Contains("the source of operation 'Copy': 'delay_ms' must be a whole number, not 'soon'", messages);
    }

    [Fact]
    public void Validate_BadExpression_IsReported()
    {
        var messages = Messages(Pipeline(Copy.Replace("target:", "transform: { where: \"record.a ==\" }\n    target:", StringComparison.Ordinal)));

        Assert.Contains(messages, m => m.StartsWith("expression error in 'record.a =='", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SecretWithoutValue_IsFineForValidateButNotForRun()
    {
        var yaml = Pipeline(Copy, "variables:\n  token: { secret: true }").Replace("store: output", "store: \"[token]\"", StringComparison.Ordinal);

        Assert.Empty(Messages(yaml, requireValues: false));
        Assert.Contains(Messages(yaml), m => m.StartsWith("secret variable 'token' has no value", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SecretWithoutValueReadOnlyByAnExpression_IsAnErrorForRunButNotForValidate()
    {
        var yaml = Pipeline(Copy.Replace("target:", "transform: { where: \"record.a == token\" }\n    target:", StringComparison.Ordinal), "variables:\n  token: { secret: true }");

        Assert.Empty(Messages(yaml, requireValues: false));
        Assert.Contains(Messages(yaml), m => m.EndsWith("where: secret variable 'token' has no value: supply it with --var token=..., the environment variable ETL_VAR_TOKEN, or --env-file", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ExpressionReadsAVariableSetUpstream_NeedsNoValueForIt()
    {
        var yaml = Pipeline(
            Copy.Replace("target: { connection: Out, activity: create }", "target: { connection: Out, activity: create }\n    set: { token: \"{{ 1 }}\" }\n    on_success: Next", StringComparison.Ordinal)
            + Copy.Replace("name: Copy", "name: Next", StringComparison.Ordinal).Replace("target:", "transform: { where: \"record.a == token\" }\n    target:", StringComparison.Ordinal),
            "variables:\n  token: { secret: true }");

        Assert.Empty(Messages(yaml));
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var yaml = Pipeline(Copy.Replace("connection: In,", "connection: Nope,", StringComparison.Ordinal).Replace("activity: create", "activity: remove", StringComparison.Ordinal));

        Assert.Equal(2, Messages(yaml).Count);
    }

    [Fact]
    public void Validate_UndefinedVariableInMap_GivesPositionAndTheNearestName()
    {
        var yaml = Pipeline(Copy.Replace("target:", "transform:\n      map:\n        lists: \"{{ [newletter_list] }}\"\n    target:", StringComparison.Ordinal), "variables:\n  newsletter_list: list-1");

        var problem = Assert.Single(_harness.Problems(yaml));

        Assert.Equal("operation 'Copy', map.lists: undefined variable 'newletter_list' (searched global, project and system variables) (did you mean 'newsletter_list'?)", problem.Message);
        Assert.Equal((12, 21), (problem.Location.Line, problem.Location.Column));
    }

    [Fact]
    public void Validate_UnknownBuiltinFunction_SuggestsTheRightOne()
    {
        var yaml = Pipeline(Copy.Replace("target:", "transform:\n      map:\n        email: \"{{ record.email | string.dowcase }}\"\n    target:", StringComparison.Ordinal));

        var problem = Assert.Single(_harness.Problems(yaml));

        Assert.StartsWith("operation 'Copy', map.email: unknown function 'string.dowcase' (did you mean 'string.downcase'?); string has: append,", problem.Message, StringComparison.Ordinal);
        Assert.Equal((11, 42), (problem.Location.Line, problem.Location.Column));
    }

    [Fact]
    public void Validate_UnknownSystemVariableInWhere_IsReported()
    {
        var yaml = Pipeline(Copy.Replace("target:", "transform: { where: system.run.idd != \"\" }\n    target:", StringComparison.Ordinal));

        Assert.Equal(["operation 'Copy', where: unknown system variable 'system.run.idd' (did you mean 'system.run.id'?)"], Messages(yaml));
    }

    [Fact]
    public void Validate_NamesInScope_AreAcceptedAndOnlyTheUnknownOneIsReported()
    {
        var yaml = Pipeline(
            Copy.Replace("target:", "set: { batch_tag: \"{{ system.run.id }}\" }\n    on_success: Next\n    target:", StringComparison.Ordinal) +
            Copy.Replace("name: Copy", "name: Next", StringComparison.Ordinal).Replace("target:", "transform:\n      where: 'record.a != greeting && !(empty record.b)'\n      map:\n        tag: \"{{ batch_tag }}-{{ x = record.n; x | math.format '0' }}-{{ record?.a }}-{{ batch_tga }}\"\n    target:", StringComparison.Ordinal),
            "variables:\n  greeting: hello");

        Assert.Equal(["operation 'Next', map.tag: undefined variable 'batch_tga' (searched global, project and system variables) (did you mean 'batch_tag'?)"], Messages(yaml));
    }

    [Fact]
    public void Validate_VariableWithoutValueInExpression_IsFineForValidateButNotForRun()
    {
        var yaml = Pipeline(Copy.Replace("target:", "transform: { map: { key: \"{{ token }}\" } }\n    target:", StringComparison.Ordinal), "variables:\n  token: { secret: true }");

        Assert.Empty(Messages(yaml, requireValues: false));
        Assert.Contains(Messages(yaml), m => m.StartsWith("operation 'Copy', map.key: secret variable 'token' has no value", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RecordInSet_IsReported()
    {
        var yaml = Pipeline(Copy.Replace("target:", "set: { last: \"{{ record.id }}\" }\n    target:", StringComparison.Ordinal));

        Assert.Equal(["operation 'Copy', set.last: 'record.id': there is no record here; set: runs once, after the operation succeeded"], Messages(yaml));
    }

    public void Dispose() => _harness.Dispose();
}
