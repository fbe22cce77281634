using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Execution;

/// <summary>
/// Resolves an operation against a <see cref="VariableScope"/>: binds connection and activity settings, checks
/// the activities, parses templates. Validation and the run use the same planner, so what validates runs.
/// </summary>
public sealed class OperationPlanner(PipelineDefinition pipeline, ConnectorRegistry registry, SecretMasker masker)
{
    public OperationPlan? Plan(OperationDefinition operation, VariableScope scope, DiagnosticBag diagnostics, IReadOnlySet<string>? deferred = null)
    {
        var binder = new SettingsBinder(scope, pipeline.BaseDirectory, masker) { Deferred = deferred ?? new HashSet<string>() };
        var what = $"operation '{operation.Name.Value}'";
        var source = Activity(operation.Source, operation.Location, $"the source of {what}", expectTarget: false, binder, diagnostics);
        var target = Activity(operation.Target, operation.Location, $"the target of {what}", expectTarget: true, binder, diagnostics);
        var options = binder.Bind(OperationOptions.Specs, operation.Options, operation.Location, $"the options of {what}", diagnostics);
        var transform = TransformPlan.Parse(operation.Transform, diagnostics);
        var set = operation.Set.Select(e => KeyValuePair.Create(e.Name.Value, ScriptTemplate.ParseTemplate(e.Template, diagnostics))).ToList();
        var names = new NameCheck(scope, binder.Deferred);
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
            diagnostics.Add(entry.Name.Location, $"'{entry.Name.Value}' cannot be set: a global variable name uses letters, digits, '_' and '.', and not the system. or jitterbit. prefixes");
        }

        return source is null || target is null
            ? null
            : new OperationPlan(operation, source, transform, target, OperationOptions.From(options), set);
    }


    private ActivityPlan? Activity(ActivityDefinition? activity, SourceLocation owner, string what, bool expectTarget, SettingsBinder binder, DiagnosticBag diagnostics)
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
                var names = pipeline.Connections.Select(c => c.Name.Value).ToList();
                diagnostics.Add(activity.Connection.Location, $"{what}: no connection named '{activity.Connection.Value}'{Loading.Suggestions.DidYouMean(activity.Connection.Value, names)}; declared connections: {(names.Count == 0 ? "none" : string.Join(", ", names))}");
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
                var known = connector.Descriptor.KnownActivities(ActivityRole.Source).Concat(connector.Descriptor.KnownActivities(ActivityRole.Target)).Select(k => k.Name);
                diagnostics.Add(activity.Activity.Location, $"{what}: unknown activity '{activity.Activity.Value}'{Loading.Suggestions.DidYouMean(activity.Activity.Value, known)}; {connector.Descriptor.DescribeSupportedActivities()}");
            }

            return null;
        }

        if (kind.IsTarget() != expectTarget)
        {
            var allowed = connector.Descriptor.KnownActivities(expectTarget ? ActivityRole.Target : ActivityRole.Source).Select(k => k.Name).ToList();
            var list = allowed.Count == 1 ? allowed[0] : $"{string.Join(", ", allowed.Take(allowed.Count - 1))} or {allowed[^1]}";
            diagnostics.Add(activity.Activity.Location, expectTarget
                ? $"{what}: '{kind.ToName()}' reads records; a target's activity is {list}"
                : $"{what}: '{kind.ToName()}' writes records; a source's activity is {list}");
            return null;
        }

        var spec = connector.Descriptor.FindActivity(kind);
        if (spec is null)
        {
            diagnostics.Add(activity.Activity.Location, $"{what}: {connector.Descriptor.DescribeSupportedActivities()}, not {kind.ToName()}");
            return null;
        }

        var connectionWhat = $"connection '{connection.Name.Value}'";
        var connectionSettings = binder.Bind(connector.Descriptor.ConnectionParameters, connection.Fields, connection.Location, connectionWhat, diagnostics);
        var activitySettings = binder.Bind(spec.Parameters, activity.Parameters, activity.Location, what, diagnostics);
        foreach (var problem in connector.Validate(kind, connectionSettings, activitySettings))
        {
            var at = activity.Parameters.TryGetValue(problem.Setting, out var field) ? field.Location
                : connection.Fields.TryGetValue(problem.Setting, out var connectionField) ? connectionField.Location
                : activity.Location;
            diagnostics.Add(at, $"{what}: {problem.Message}");
        }

        return new ActivityPlan(connection, connector, kind, connectionSettings, activitySettings);
    }
}
