using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.Planning;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Planning;

public sealed class OperationPlannerTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private static string Pipeline(string source = "{ connection: In, activity: query }", string target = "{ connection: Out, activity: create }", string extra = "") => $$"""
        project: demo
        connections:
          - { name: In, type: memory, store: input }
          - { name: Out, type: memory, store: output }
        operations:
          - name: Load
            source: {{source}}
            target: {{target}}
        {{extra}}
        """;

    private CompiledPipeline Compile(string yaml, CompileMode mode = CompileMode.Run) =>
        new PipelineCompiler(_harness.Registry).Compile(_harness.LoadValid(yaml), PipelineHarness.NoEnvironment, new SecretMasker(), mode);

    [Fact]
    public void Compile_ValidOperation_PlansItWithTheDefaultOptions()
    {
        var compiled = Compile(Pipeline());

        Assert.True(compiled.IsValid);
        var plan = Assert.Single(compiled.Plans);
        Assert.Equal("In (memory) query", plan.Source.Describe());
        Assert.Equal("Out (memory) create", plan.Target.Describe());
        Assert.Equal(new OperationOptions(500, null, OperationOptions.DefaultTimeout, 2), plan.Options);
        Assert.False(plan.BoundAtStart);
    }

    [Fact]
    public void Compile_UnknownConnection_SuggestsTheNearestAndListsTheDeclared()
    {
        var compiled = Compile(Pipeline(source: "{ connection: Inn, activity: query }"));

        Assert.Equal(
            "the source of operation 'Load': no connection named 'Inn' (did you mean 'In'?); declared connections: In, Out",
            Assert.Single(compiled.Diagnostics).Message);
        Assert.Empty(compiled.Plans);
    }

    [Fact]
    public void Compile_UnknownActivity_SuggestsTheNearest()
    {
        var compiled = Compile(Pipeline(target: "{ connection: Out, activity: craete }"));

        Assert.Equal(
            "the target of operation 'Load': unknown activity 'craete' (did you mean 'create'?); memory connections support query, create and append",
            Assert.Single(compiled.Diagnostics).Message);
    }

    [Fact]
    public void Compile_QueryAsTarget_SaysWhatATargetDoes()
    {
        var compiled = Compile(Pipeline(target: "{ connection: Out, activity: query }"));

        Assert.Equal(
            "the target of operation 'Load': 'query' reads records; a target's activity is create or append",
            Assert.Single(compiled.Diagnostics).Message);
    }

    [Fact]
    public void Compile_OptionOfTheWrongType_NamesTheOption()
    {
        var compiled = Compile(Pipeline() + "    options: { timeout: soon }\n");

        Assert.Equal(
            $"the options of operation 'Load': 'timeout' must be {DurationText.Examples}, not 'soon'",
            Assert.Single(compiled.Diagnostics).Message);
    }

    [Fact]
    public void Compile_SettingNamesTheRunId_IsBoundWhenTheOperationStarts()
    {
        var compiled = Compile(Pipeline(target: "{ connection: Out, activity: create, reject_field: \"[system.run.id]\" }"));
        var plan = Assert.Single(compiled.Plans);
        var planner = new OperationPlanner(compiled.Definition, _harness.Registry, new SecretMasker());

        var started = planner.BindAtStart(plan, compiled.Scope(compiled.System with { RunId = "run-7" }), new DiagnosticBag());

        Assert.True(plan.BoundAtStart);
        Assert.False(plan.Target.ActivitySettings.Has("reject_field"));
        Assert.Equal("run-7", started!.Target.ActivitySettings.Get("reject_field"));
    }

    [Fact]
    public void BindAtStart_NothingLate_ReturnsThePlanItself()
    {
        var compiled = Compile(Pipeline());
        var plan = Assert.Single(compiled.Plans);
        var planner = new OperationPlanner(compiled.Definition, _harness.Registry, new SecretMasker());

        Assert.Same(plan, planner.BindAtStart(plan, compiled.Scope(compiled.System), new DiagnosticBag()));
    }

    [Fact]
    public void Compile_SetParsedOnce_OnThePlan()
    {
        var compiled = Compile(Pipeline() + "    set: { last_load: \"{{ system.run.id }}\" }\n");

        var (name, template) = Assert.Single(Assert.Single(compiled.Plans).Set);
        Assert.Equal("last_load", name);
        Assert.Equal("{{ system.run.id }}", template.Source);
    }

    [Fact]
    public void Compile_EnvironmentNotChosen_IsDefault()
    {
        Assert.Equal("default", Compile(Pipeline()).System.EnvironmentName);
    }

    [Fact]
    public void Plan_SettingNamesTheRunStart_IsShownAsWritten()
    {
        var plan = PipelinePlan.Build(
            _harness.LoadValid(Pipeline(target: "{ connection: Out, activity: create, reject_field: \"[system.run.start_time]\" }")),
            _harness.Registry,
            PipelineHarness.NoEnvironment,
            new SecretMasker());

        Assert.Equal("[system.run.start_time]", Assert.Single(plan.Operations).Target.Parameters["reject_field"]);
    }

    public void Dispose() => _harness.Dispose();
}
