using System.Text;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Validation;

/// <summary>The outcome of validating a pipeline: every problem, and the project variables as resolved.</summary>
public sealed record ValidationResult(IReadOnlyList<Diagnostic> Diagnostics, ProjectVariables Variables)
{
    /// <summary>The operations as planned for validation (those whose source and target resolved).</summary>
    public IReadOnlyList<OperationPlan> Plans { get; init; } = [];

    public bool IsValid => Diagnostics.Count == 0;
}

/// <summary>
/// Checks a loaded pipeline as it would run: names, references, activities, chains, variables (with the same
/// --var / environment / env-file inputs as the run), settings types and expressions. Reports every problem at once.
/// </summary>
public sealed class PipelineValidator(ConnectorRegistry registry)
{
    /// <param name="pipeline">The loaded pipeline.</param>
    /// <param name="inputs">--var, environment, env file: checked exactly as the run will use them.</param>
    /// <param name="masker">Receives every secret value found.</param>
    /// <param name="requireValues">
    /// True for run, plan and test: every declared variable a field uses must have a value. False for
    /// <c>etl validate</c>, so CI can check files whose secrets are supplied only where they run.
    /// </param>
    public ValidationResult Validate(PipelineDefinition pipeline, VariableInputs inputs, SecretMasker masker, bool requireValues = true)
    {
        var diagnostics = new DiagnosticBag();
        if (string.IsNullOrWhiteSpace(pipeline.Project.Value))
        {
            diagnostics.Add(pipeline.Project.Location, "'project' must name the project");
        }

        CheckNames(pipeline.Connections.Select(c => c.Name), "connection", diagnostics);
        CheckNames(pipeline.Operations.Select(o => o.Name), "operation", diagnostics);
        CheckRejectsFileNames(pipeline.Operations.Select(o => o.Name), diagnostics);
        var chains = new ChainGraph(pipeline);
        chains.Check(diagnostics);

        var variables = ProjectVariables.Resolve(pipeline, inputs, diagnostics);
        foreach (var secret in variables.All.Where(v => v.Secret && v.HasValue))
        {
            masker.Add(VariableScope.ToText(secret.Value));
        }

        var system = Placeholder(pipeline, inputs);
        var planner = new OperationPlanner(pipeline, registry, masker);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var plans = new List<OperationPlan>();
        foreach (var operation in pipeline.Operations)
        {
            var upstream = new HashSet<string>(chains.UpstreamGlobals(operation.Name.Value), StringComparer.Ordinal);
            if (!requireValues)
            {
                upstream.UnionWith(variables.All.Where(v => !v.HasValue).Select(v => v.Name));
            }

            var scope = new VariableScope(new Dictionary<string, object?>(), variables, system with { OperationName = operation.Name.Value });
            if (planner.Plan(operation, scope, diagnostics, upstream) is { } plan)
            {
                plans.Add(plan);
            }

            used.Add(operation.Source?.Connection.Value ?? string.Empty);
            used.Add(operation.Target?.Connection.Value ?? string.Empty);
        }

        Testing.PipelineTestChecks.Check(pipeline, chains, variables, diagnostics);
        Scheduling.ScheduleCheck.Check(pipeline, diagnostics);
        var unusedScope = new VariableScope(new Dictionary<string, object?>(), variables, system);
        foreach (var connection in pipeline.Connections.Where(c => !used.Contains(c.Name.Value)))
        {
            if (registry.TryGet(connection.Type.Value, out var connector))
            {
                new SettingsBinder(unusedScope, pipeline.BaseDirectory, masker) { Deferred = requireValues ? new HashSet<string>() : variables.All.Where(v => !v.HasValue).Select(v => v.Name).ToHashSet() }
                    .Bind(connector.Descriptor.ConnectionParameters, connection.Fields, connection.Location, $"connection '{connection.Name.Value}'", diagnostics);
            }
        }

        var unique = diagnostics.Sorted().Distinct().ToList();
        return new ValidationResult(unique, variables) { Plans = plans };
    }


    private static SystemVariables Placeholder(PipelineDefinition pipeline, VariableInputs inputs) => new()
    {
        ProjectName = pipeline.Project.Value,
        EnvironmentName = inputs.Environment ?? "default",
        RunId = "validate",
        RunStartTime = DateTimeOffset.UnixEpoch,
        OperationStartTime = DateTimeOffset.UnixEpoch,
    };

    private static void CheckNames(IEnumerable<Located> names, string kind, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, Located>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (name.Value.Length == 0)
            {
                continue; // reported as a missing required key
            }

            if (name.Value.IndexOfAny(['/', ':']) >= 0)
            {
                diagnostics.Add(name.Location, $"invalid {kind} name '{name.Value}': names must not contain '/' or ':'");
            }

            if (!seen.TryAdd(name.Value, name))
            {
                diagnostics.Add(name.Location, $"duplicate {kind} name '{name.Value}' (first declared at line {seen[name.Value].Location.Line})");
            }
        }
    }

    /// <summary>Each operation's name becomes its rejects file's name (<c>.etl/rejects/RUN/NAME.jsonl</c>): it must fit, and be its own.</summary>
    private static void CheckRejectsFileNames(IEnumerable<Located> names, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, Located>(StringComparer.OrdinalIgnoreCase); // case-insensitive file systems too
        foreach (var name in names.Where(n => n.Value.Length > 0))
        {
            var file = RunContextNames.RejectsFileName(name.Value);
            var bytes = Encoding.UTF8.GetByteCount(file);
            if (bytes > RunContextNames.MaxFileNameBytes)
            {
                diagnostics.Add(name.Location, $"operation name '{name.Value[..40]}…' is too long: its rejects file name would be {bytes} bytes, more than the {RunContextNames.MaxFileNameBytes} a file name can have; shorten it");
            }
            else if (!seen.TryAdd(file, name) && seen[file].Value != name.Value)
            {
                diagnostics.Add(name.Location, $"operation '{name.Value}' would share its rejects file '{file}' with operation '{seen[file].Value}' (line {seen[file].Location.Line}); rename one of them");
            }
        }
    }
}
