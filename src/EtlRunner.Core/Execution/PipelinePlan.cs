using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Scheduling;
using EtlRunner.Validation;

namespace EtlRunner.Execution;

/// <summary>What a run would do, for <c>etl plan</c> and for tests: chains, operations with resolved settings, variables and their sources. Secrets are masked.</summary>
public sealed record PipelinePlan(
    string Project,
    string Environment,
    IReadOnlyList<IReadOnlyList<string>> Chains,
    IReadOnlyList<OperationPlanView> Operations,
    IReadOnlyList<VariableView> Variables,
    IReadOnlyList<Diagnostic> Problems)
{
    /// <summary>The schedules agents run, with their next fire times (see <see cref="ScheduleView.For"/>).</summary>
    public IReadOnlyList<ScheduleView> Schedules { get; init; } = [];

    public static PipelinePlan Build(PipelineDefinition pipeline, ConnectorRegistry registry, VariableInputs inputs, SecretMasker masker)
    {
        var validation = new PipelineValidator(registry).Validate(pipeline, inputs, masker, requireValues: false);
        var system = new SystemVariables
        {
            ProjectName = pipeline.Project.Value,
            EnvironmentName = inputs.Environment ?? "default",
            RunId = "(run id)",
            RunStartTime = DateTimeOffset.UnixEpoch,
        };
        var planner = new OperationPlanner(pipeline, registry, masker);
        var operations = new List<OperationPlanView>();
        var deferred = validation.Variables.All.Where(v => !v.HasValue).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var operation in pipeline.Operations)
        {
            var upstream = new ChainGraph(pipeline).UpstreamGlobals(operation.Name.Value);
            var scope = new VariableScope(new Dictionary<string, object?>(), validation.Variables, system with { OperationName = operation.Name.Value });
            var plan = planner.Plan(operation, scope, new DiagnosticBag(), deferred.Union(upstream).ToHashSet(StringComparer.Ordinal));
            if (plan is not null)
            {
                operations.Add(new OperationPlanView(
                    plan.Name,
                    View(plan.Source, masker),
                    plan.Transform.Where?.Source,
                    plan.Transform.Map?.Select(m => KeyValuePair.Create(m.Key, m.Value.Source)).ToList(),
                    View(plan.Target, masker),
                    plan.Options,
                    operation.Set.Select(s => s.Name.Value).ToList(),
                    operation.OnSuccess?.Value,
                    operation.OnFailure?.Value));
            }
        }

        var variables = validation.Variables.All
            .Select(v => new VariableView(v.Name, v.Secret ? (v.HasValue ? SecretMasker.Mask : null) : masker.Apply(VariableScope.ToText(v.Value)), v.Secret, v.Source, v.HasValue))
            .ToList();
        return new PipelinePlan(pipeline.Project.Value, system.EnvironmentName, ChainsOf(pipeline), operations, variables, validation.Diagnostics);
    }

    private static List<IReadOnlyList<string>> ChainsOf(PipelineDefinition pipeline)
    {
        var chains = new List<IReadOnlyList<string>>();
        foreach (var root in pipeline.RootOperations())
        {
            var chain = new List<string>();
            var pending = new Queue<OperationDefinition>([root]);
            while (pending.TryDequeue(out var operation))
            {
                if (chain.Contains(operation.Name.Value))
                {
                    continue;
                }

                chain.Add(operation.Name.Value);
                foreach (var next in new[] { operation.OnSuccess, operation.OnFailure })
                {
                    if (next is not null && pipeline.FindOperation(next.Value) is { } found)
                    {
                        pending.Enqueue(found);
                    }
                }
            }

            chains.Add(chain);
        }

        return chains;
    }

    private static ActivityView View(ActivityPlan activity, SecretMasker masker)
    {
        var spec = activity.Connector.Descriptor;
        var secret = spec.ConnectionParameters.Concat(spec.FindActivity(activity.Kind)?.Parameters ?? []).Where(p => p.Secret).Select(p => p.Name).ToHashSet();
        IReadOnlyDictionary<string, string?> Show(Settings settings) => settings.Names
            .Where(settings.Has)
            .ToDictionary(n => n, n => (string?)(secret.Contains(n) ? SecretMasker.Mask : masker.Apply(Text(settings.Get(n)))), StringComparer.Ordinal);
        return new ActivityView(activity.Connection.Name.Value, spec.Type, activity.Kind.ToName(), Show(activity.ConnectionSettings), Show(activity.ActivitySettings));
    }

    private static string Text(object? value) => value switch
    {
        IReadOnlyList<string> list => string.Join(", ", list),
        IReadOnlyDictionary<string, object?> map => string.Join(", ", map.Select(e => $"{e.Key}={VariableScope.ToText(e.Value)}")),
        _ => VariableScope.ToText(value),
    };
}

public sealed record ActivityView(string Connection, string Type, string Activity, IReadOnlyDictionary<string, string?> ConnectionSettings, IReadOnlyDictionary<string, string?> Parameters);

public sealed record OperationPlanView(
    string Name,
    ActivityView Source,
    string? Where,
    IReadOnlyList<KeyValuePair<string, string>>? Map,
    ActivityView Target,
    OperationOptions Options,
    IReadOnlyList<string> Sets,
    string? OnSuccess,
    string? OnFailure);

public sealed record VariableView(string Name, string? Value, bool Secret, string Source, bool HasValue);
