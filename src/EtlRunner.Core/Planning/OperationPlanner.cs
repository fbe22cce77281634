using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Planning;

/// <summary>
/// Resolves an operation against a <see cref="VariableScope"/>: binds connection and activity settings, checks
/// the activities, parses templates. <see cref="PipelineCompiler"/> plans each operation once, for validation and
/// the run alike, so what validates runs; values known only when the operation starts are bound then
/// (<see cref="BindAtStart"/>).
/// </summary>
public sealed class OperationPlanner(PipelineDefinition pipeline, ConnectorRegistry registry, SecretMasker masker)
{
    /// <param name="deferred">Names with no value yet (globals set upstream; with no value needed, variables given none).</param>
    public OperationPlan? Plan(OperationDefinition operation, VariableScope scope, DiagnosticBag diagnostics, IReadOnlySet<string>? deferred = null)
    {
        deferred ??= new HashSet<string>();
        var binder = new SettingsBinder(scope, pipeline.BaseDirectory, masker) { Deferred = deferred.Union(SystemVariables.StartNames).ToHashSet(StringComparer.Ordinal) };
        var what = $"operation '{operation.Name.Value}'";
        var source = Activity(operation.Source, $"the source of {what}", expectTarget: false, binder, diagnostics);
        var target = Activity(operation.Target, $"the target of {what}", expectTarget: true, binder, diagnostics);
        var options = binder.Bind(OperationOptions.Specs, operation.Options, operation.Location, $"the options of {what}", diagnostics);
        var transform = TransformPlan.Parse(operation.Transform, diagnostics);
        var set = ParseSet(operation, diagnostics);
        var names = new NameCheck(scope, deferred);
        foreach (var (label, template) in transform.Templates())
        {
            names.Check($"{what}, {label}", template, diagnostics);
        }

        foreach (var (name, template) in set)
        {
            names.Check($"{what}, set.{name}", template, diagnostics, hasRecord: false);
        }

        FieldCheck.Check(operation, transform, target, source?.Connector.DescribeRecords(source.ConnectionSettings, source.ActivitySettings), diagnostics);

        foreach (var entry in operation.Set.Where(e => !VariableTemplate.IsValidName(e.Name.Value) || SystemVariables.IsSystemName(e.Name.Value)))
        {
            diagnostics.Add(entry.Name.Location, PlanErrors.CannotSet(entry.Name.Value));
        }

        return source is null || target is null
            ? null
            : new OperationPlan(operation, source, transform, target, OperationOptions.From(options), set) { BoundAtStart = binder.UsedDeferred };
    }

    /// <summary>
    /// The plan with its settings bound again in the scope its operation starts in, when they name values known only
    /// then (globals set upstream, <c>system.run.*</c>, <c>system.operation.*</c>); else the plan itself. Null when a value does not fit.
    /// </summary>
    public OperationPlan? BindAtStart(OperationPlan plan, VariableScope scope, DiagnosticBag diagnostics)
    {
        if (!plan.BoundAtStart)
        {
            return plan;
        }

        var binder = new SettingsBinder(scope, pipeline.BaseDirectory, masker);
        var what = $"operation '{plan.Name}'";
        var source = Bind(plan.Source, plan.Definition.Source!, $"the source of {what}", binder, diagnostics);
        var target = Bind(plan.Target, plan.Definition.Target!, $"the target of {what}", binder, diagnostics);
        var options = binder.Bind(OperationOptions.Specs, plan.Definition.Options, plan.Definition.Location, $"the options of {what}", diagnostics);
        return diagnostics.HasErrors ? null : plan with { Source = source, Target = target, Options = OperationOptions.From(options) };
    }

    /// <summary>The operation's <c>set:</c> templates, parsed.</summary>
    public static IReadOnlyList<KeyValuePair<string, ScriptTemplate>> ParseSet(OperationDefinition operation, DiagnosticBag diagnostics) =>
        [.. operation.Set.Select(e => KeyValuePair.Create(e.Name.Value, ScriptTemplate.ParseTemplate(e.Template, diagnostics)))];

    private ActivityPlan? Activity(ActivityDefinition? activity, string what, bool expectTarget, SettingsBinder binder, DiagnosticBag diagnostics)
    {
        if (activity is null)
        {
            return null;
        }

        var connection = pipeline.FindConnection(activity.Connection.Value);
        if (connection is null)
        {
            if (activity.Connection.Value.Length > 0)
            {
                diagnostics.Add(activity.Connection.Location, PlanErrors.NoSuchConnection(what, activity.Connection.Value, [.. pipeline.Connections.Select(c => c.Name.Value)]));
            }

            return null;
        }

        if (!registry.TryGet(connection.Type.Value, out var connector))
        {
            return null; // reported where the connection is declared
        }

        var kind = connector.Descriptor.FindActivity(activity.Activity.Value)?.Kind
            ?? (ActivityKinds.TryParse(activity.Activity.Value, out var builtIn) ? builtIn : null);
        if (kind is null)
        {
            if (activity.Activity.Value.Length > 0)
            {
                diagnostics.Add(activity.Activity.Location, PlanErrors.UnknownActivity(what, activity.Activity.Value, connector.Descriptor));
            }

            return null;
        }

        if (kind.IsTarget() != expectTarget)
        {
            diagnostics.Add(activity.Activity.Location, expectTarget ? PlanErrors.ReadsAsTarget(what, kind, connector.Descriptor) : PlanErrors.WritesAsSource(what, kind, connector.Descriptor));
            return null;
        }

        var spec = connector.Descriptor.FindActivity(kind);
        if (spec is null)
        {
            diagnostics.Add(activity.Activity.Location, PlanErrors.UnsupportedActivity(what, connector.Descriptor, kind));
            return null;
        }

        return Bind(new ActivityPlan(connection, connector, kind, Settings.Empty, Settings.Empty), activity, what, binder, diagnostics);
    }

    /// <summary>Binds the settings of a resolved activity and has its connector check them.</summary>
    private static ActivityPlan Bind(ActivityPlan plan, ActivityDefinition activity, string what, SettingsBinder binder, DiagnosticBag diagnostics)
    {
        var (connection, connector) = (plan.Connection, plan.Connector);
        var connectionSettings = binder.Bind(connector.Descriptor.ConnectionParameters, connection.Fields, connection.Location, $"connection '{connection.Name.Value}'", diagnostics);
        var activitySettings = binder.Bind(connector.Descriptor.FindActivity(plan.Kind)!.Parameters, activity.Parameters, activity.Location, what, diagnostics);
        foreach (var problem in connector.Validate(plan.Kind, connectionSettings, activitySettings))
        {
            var at = activity.Parameters.TryGetValue(problem.Setting, out var field) ? field.Location
                : connection.Fields.TryGetValue(problem.Setting, out var connectionField) ? connectionField.Location
                : activity.Location;
            diagnostics.Add(at, PlanErrors.ConnectorProblem(what, problem.Message));
        }

        return plan with { ConnectionSettings = connectionSettings, ActivitySettings = activitySettings };
    }
}
