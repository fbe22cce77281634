using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Expressions;

public sealed class VariableScopeTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private const string Yaml = """
        project: demo
        variables:
          region: eu
          host:
            value: "[region].example.com"
          token: { secret: true }
          loop_a: "[loop_b]"
          loop_b: "[loop_a]"
        environments:
          staging:
            variables: { region: staging-eu }
        connections: []
        operations: []
        """;

    private (VariableScope Scope, DiagnosticBag Diagnostics) Scope(VariableInputs inputs, IReadOnlyDictionary<string, object?>? globals = null, string yaml = Yaml)
    {
        var pipeline = _harness.LoadValid(yaml);
        var diagnostics = new DiagnosticBag();
        var project = ProjectVariables.Resolve(pipeline, inputs, diagnostics);
        var system = new SystemVariables { ProjectName = "demo", RunId = "run-1", RunStartTime = DateTimeOffset.UnixEpoch };
        return (new VariableScope(globals ?? new Dictionary<string, object?>(), project, system), diagnostics);
    }

    private static object? Resolve(VariableScope scope, string text) => scope.Resolve(new FieldValue(text, new SourceLocation("p.yaml", 3, 5)));

    [Fact]
    public void Resolve_Default_UsesYamlValue()
    {
        Assert.Equal("eu.example.com", Resolve(Scope(PipelineHarness.NoEnvironment).Scope, "[host]"));
    }

    [Fact]
    public void Resolve_Precedence_CommandLineBeatsEnvironmentVariableBeatsEnvFileBeatsEnvironmentBeatsDefault()
    {
        var all = PipelineHarness.NoEnvironment with
        {
            Environment = "staging",
            EnvFile = new Dictionary<string, string> { ["region"] = "from-file" },
            EnvironmentVariable = name => name == "ETL_VAR_REGION" ? "from-env" : null,
            CommandLine = new Dictionary<string, string> { ["region"] = "from-cli" },
        };

        Assert.Equal("from-cli", Resolve(Scope(all).Scope, "[region]"));
        Assert.Equal("from-env", Resolve(Scope(all with { CommandLine = new Dictionary<string, string>() }).Scope, "[region]"));
        Assert.Equal("from-file", Resolve(Scope(all with { CommandLine = new Dictionary<string, string>(), EnvironmentVariable = _ => null }).Scope, "[region]"));
        Assert.Equal("staging-eu", Resolve(Scope(PipelineHarness.NoEnvironment with { Environment = "staging" }).Scope, "[region]"));
    }

    [Fact]
    public void Resolve_GlobalShadowsProject()
    {
        var (scope, _) = Scope(PipelineHarness.NoEnvironment, new Dictionary<string, object?> { ["region"] = "global" });

        Assert.Equal("global", Resolve(scope, "[region]"));
    }

    [Fact]
    public void Resolve_SystemAndJitterbitNames_GiveTheSameValue()
    {
        var (scope, _) = Scope(PipelineHarness.NoEnvironment);

        Assert.Equal("run-1", Resolve(scope, "[system.run.id]"));
        Assert.Equal("run-1", Resolve(scope, "[jitterbit.run.id]"));
    }

    [Fact]
    public void Resolve_Undefined_NamesTheScopesAndPosition()
    {
        var (scope, _) = Scope(PipelineHarness.NoEnvironment);

        var ex = Assert.Throws<VariableResolutionException>(() => Resolve(scope, "x-[regoin]"));

        Assert.Equal("undefined variable 'regoin' (searched global, project and system variables) (did you mean 'region'?)", ex.Message);
        Assert.Equal(new SourceLocation("p.yaml", 3, 7), ex.Location);
    }

    [Fact]
    public void Resolve_UndefinedWithFallback_UsesFallback()
    {
        Assert.Equal("x-dflt", Resolve(Scope(PipelineHarness.NoEnvironment).Scope, "x-[nothing{dflt}]"));
    }

    [Fact]
    public void Resolve_SecretWithoutValue_SaysHowToSupplyIt()
    {
        var ex = Assert.Throws<VariableResolutionException>(() => Resolve(Scope(PipelineHarness.NoEnvironment).Scope, "[token]"));

        Assert.Contains("secret variable 'token' has no value: supply it with --var token=..., the environment variable ETL_VAR_TOKEN, or --env-file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Cycle_IsAnErrorNotAHang()
    {
        var ex = Assert.Throws<VariableResolutionException>(() => Resolve(Scope(PipelineHarness.NoEnvironment).Scope, "[loop_a]"));

        Assert.Contains("refers to itself", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ValueFromOutsideContainingBrackets_StaysData()
    {
        var inputs = PipelineHarness.NoEnvironment with { CommandLine = new Dictionary<string, string> { ["region"] = "[host] {{ 1+1 }}" } };

        Assert.Equal("[host] {{ 1+1 }}", Resolve(Scope(inputs).Scope, "[region]"));
    }

    [Fact]
    public void Resolve_VeryLongValue_IsKeptWhole()
    {
        var value = new string('x', 1_000_000);
        var inputs = PipelineHarness.NoEnvironment with { CommandLine = new Dictionary<string, string> { ["region"] = value } };

        Assert.Equal(value + "!", Resolve(Scope(inputs).Scope, "[region]!"));
    }

    private VariableScope Doubling(int levels)
    {
        var yaml = new System.Text.StringBuilder("project: demo\nvariables:\n  v0: abcdefgh\n");
        for (var i = 1; i <= levels; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"  v{i}: \"[v{i - 1}][v{i - 1}]\"\n");
        }

        return Scope(PipelineHarness.NoEnvironment, yaml: yaml.Append("connections: []\noperations: []\n").ToString()).Scope;
    }

    [Fact]
    public void Resolve_DefaultPastOneMebibyte_FailsAtThatVariable()
    {
        var scope = Doubling(18);

        var ex = Assert.Throws<VariableResolutionException>(() => Resolve(scope, "[v18]"));

        Assert.Equal("variable 'v18' expands to more than 1,048,576 characters, the limit for a resolved value (at [v17]): repeat the variable less or make it smaller", ex.Message);
        Assert.Equal(21, ex.Location.Line);
    }

    [Fact]
    public void Resolve_LargeVariableInManyFieldsOfManyOperations_StopsAtTheExpansionLimitOfThePipeline()
    {
        var first = Doubling(16);
        var second = new VariableScope(new Dictionary<string, object?>(), first.Project, first.System);
        Assert.Equal(8 << 16, ((string)Resolve(first, "[v16]")!).Length);

        var ex = Assert.Throws<VariableResolutionException>(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                Resolve(first, "[v16]");
                Resolve(second, "[v16]");
            }
        });

        Assert.Equal("expanding [v16] goes past 67,108,864 characters of variable expansion for the pipeline: repeat large variables less", ex.Message);
        Assert.Equal(new SourceLocation("p.yaml", 3, 5), ex.Location);
    }

    [Fact]
    public void Resolve_UnknownCommandLineVariable_IsReported()
    {
        var inputs = PipelineHarness.NoEnvironment with { CommandLine = new Dictionary<string, string> { ["regoin"] = "x" } };

        var (_, diagnostics) = Scope(inputs);

        Assert.Contains(diagnostics.Items, d => d.Message.StartsWith("--var regoin: no variable 'regoin' is declared", StringComparison.Ordinal));
    }

    public void Dispose() => _harness.Dispose();
}
