using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Scheduling;

namespace EtlRunner.Planning;

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
        var compiled = new PipelineCompiler(registry).Compile(pipeline, inputs, masker, CompileMode.Check);
        var operations = compiled.Plans.Select(plan => new OperationPlanView(
            plan.Name,
            View(plan.Source, plan.Definition.Source!, masker),
            plan.Transform.Where?.Source,
            plan.Transform.Map?.Select(m => KeyValuePair.Create(m.Key, m.Value.Source)).ToList(),
            View(plan.Target, plan.Definition.Target!, masker),
            plan.Options,
            plan.Set.Select(s => s.Key).ToList(),
            plan.Definition.OnSuccess?.Value,
            plan.Definition.OnFailure?.Value)).ToList();
        var variables = compiled.Variables.All
            .Select(v => new VariableView(v.Name, v.Secret ? (v.HasValue ? SecretMasker.Mask : null) : masker.Apply(VariableScope.ToText(v.Value)), v.Secret, v.Source, v.HasValue))
            .ToList();
        return new PipelinePlan(pipeline.Project.Value, compiled.System.EnvironmentName, ChainsOf(pipeline), operations, variables, compiled.Diagnostics);
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

    /// <summary>The settings as bound; one that names a value known only when the operation starts, as written.</summary>
    private static ActivityView View(ActivityPlan activity, ActivityDefinition definition, SecretMasker masker)
    {
        var spec = activity.Connector.Descriptor;
        var secret = spec.ConnectionParameters.Concat(spec.FindActivity(activity.Kind)?.Parameters ?? []).Where(p => p.Secret).Select(p => p.Name).ToHashSet();
        IReadOnlyDictionary<string, string?> Show(Settings settings, IReadOnlyDictionary<string, FieldValue> fields) => settings.Names
            .Where(n => settings.Has(n) || fields.GetValueOrDefault(n)?.Value is not null)
            .ToDictionary(
                n => n,
                n => (string?)(secret.Contains(n) ? SecretMasker.Mask : masker.Apply(Text(settings.Has(n) ? settings.Get(n) : fields[n].ToPlain()))),
                StringComparer.Ordinal);
        return new ActivityView(activity.Connection.Name.Value, spec.Type, activity.Kind.ToName(), Show(activity.ConnectionSettings, activity.Connection.Fields), Show(activity.ActivitySettings, definition.Parameters));
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
