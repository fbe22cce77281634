using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Validation;

namespace EtlRunner.Planning;

/// <summary>How the variables a pipeline's fields use must be given.</summary>
public enum CompileMode
{
    /// <summary>For a run: every declared variable a field uses must have a value.</summary>
    Run,

    /// <summary>For validate, plan and test: a variable with no value (a secret given only where the pipeline runs) is left unbound.</summary>
    Check,
}

/// <summary>A pipeline checked and planned: its variables, its system variables, a plan per operation, every problem.</summary>
public sealed record CompiledPipeline(
    PipelineDefinition Definition,
    ProjectVariables Variables,
    SystemVariables System,
    IReadOnlyList<OperationPlan> Plans,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => Diagnostics.Count == 0;

    /// <summary>The plan of an operation of a valid pipeline.</summary>
    public OperationPlan PlanOf(OperationDefinition operation) =>
        Plans.FirstOrDefault(p => ReferenceEquals(p.Definition, operation)) ?? throw new InvalidOperationException($"operation '{operation.Name.Value}' has no plan: the pipeline is not valid");

    /// <summary>The scope of an operation: these globals, the project variables and these system variables.</summary>
    public VariableScope Scope(SystemVariables system, IReadOnlyDictionary<string, object?>? globals = null) =>
        new(new Dictionary<string, object?>(globals ?? new Dictionary<string, object?>()), Variables, system);
}

/// <summary>
/// The one way from a loaded pipeline to what runs: model checks, variables (with the same --var / environment /
/// env-file inputs the run uses), a plan per operation, test checks. <c>etl validate</c>, <c>plan</c>, <c>test</c>
/// and <c>run</c> all compile, and a run uses the plans it compiled: each operation is planned once.
/// </summary>
public sealed class PipelineCompiler(ConnectorRegistry registry)
{
    /// <param name="pipeline">The loaded pipeline.</param>
    /// <param name="inputs">--var, environment, env file.</param>
    /// <param name="masker">Receives every secret value found.</param>
    /// <param name="mode">Whether every variable a field uses must have a value.</param>
    public CompiledPipeline Compile(PipelineDefinition pipeline, VariableInputs inputs, SecretMasker masker, CompileMode mode)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(masker);
        var diagnostics = new DiagnosticBag();
        var chains = PipelineValidator.Check(pipeline, diagnostics);
        var variables = ProjectVariables.Resolve(pipeline, inputs, diagnostics);
        foreach (var secret in variables.All.Where(v => v.Secret && v.HasValue))
        {
            masker.Add(VariableScope.ToText(secret.Value));
        }

        var system = SystemOf(pipeline, inputs.Environment);
        var unbound = mode == CompileMode.Check ? variables.All.Where(v => !v.HasValue).Select(v => v.Name).ToHashSet(StringComparer.Ordinal) : [];
        var planner = new OperationPlanner(pipeline, registry, masker);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var plans = new List<OperationPlan>();
        foreach (var operation in pipeline.Operations)
        {
            var deferred = new HashSet<string>(chains.UpstreamGlobals(operation.Name.Value), StringComparer.Ordinal);
            deferred.UnionWith(unbound);
            var scope = new VariableScope(new Dictionary<string, object?>(), variables, system with { OperationName = operation.Name.Value });
            if (planner.Plan(operation, scope, diagnostics, deferred) is { } plan)
            {
                plans.Add(plan);
            }

            used.Add(operation.Source?.Connection.Value ?? string.Empty);
            used.Add(operation.Target?.Connection.Value ?? string.Empty);
        }

        Testing.PipelineTestChecks.Check(pipeline, chains, variables, diagnostics);
        var unusedScope = new VariableScope(new Dictionary<string, object?>(), variables, system);
        foreach (var connection in pipeline.Connections.Where(c => !used.Contains(c.Name.Value)))
        {
            if (registry.TryGet(connection.Type.Value, out var connector))
            {
                new SettingsBinder(unusedScope, pipeline.BaseDirectory, masker) { Deferred = unbound }
                    .Bind(connector.Descriptor.ConnectionParameters, connection.Fields, connection.Location, $"connection '{connection.Name.Value}'", diagnostics);
            }
        }

        return new CompiledPipeline(pipeline, variables, system, plans, [.. diagnostics.Sorted().Distinct()]);
    }

    /// <summary>
    /// The system variables of a pipeline before any run: its project and environment (<c>default</c> when none is
    /// chosen); the run's id and times are placeholders a run or a test replaces.
    /// </summary>
    public static SystemVariables SystemOf(PipelineDefinition pipeline, string? environment) => new()
    {
        ProjectName = pipeline.Project.Value,
        EnvironmentName = environment ?? "default",
        RunId = "validate",
        RunStartTime = DateTimeOffset.UnixEpoch,
        OperationStartTime = DateTimeOffset.UnixEpoch,
    };
}
