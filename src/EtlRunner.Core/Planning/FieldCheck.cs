using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Planning;

/// <summary>
/// Checks every field name an operation uses against the fields its records have: what its expressions and its
/// incremental field read from the source's records, and what its target's keys name in the records the target
/// receives (the map's fields, or the source's without a map).
/// </summary>
internal static class FieldCheck
{
    public static void Check(OperationDefinition operation, TransformPlan transform, ActivityPlan? target, RecordShape? source, DiagnosticBag diagnostics)
    {
        var what = $"operation '{operation.Name.Value}'";
        if (source is not null)
        {
            transform.CheckFields(what, source, diagnostics);
            if (operation.Source?.Incremental?.Field is { Value.Length: > 0 } field && !source.TryGetField(field.Value, out _))
            {
                diagnostics.Add(field.Location, PlanErrors.UnknownIncrementalField(what, field.Value, source));
            }
        }

        var received = transform.Map is { } map ? RecordShape.Flat(map.Select(m => m.Key), $"the map of {what}") : source;
        if (received is null || target is null || operation.Target is not { } definition)
        {
            return;
        }

        foreach (var spec in target.Connector.Descriptor.FindActivity(target.Kind)?.Parameters.Where(p => p.NamesFields) ?? [])
        {
            foreach (var name in target.ActivitySettings.GetStringList(spec.Name).Where(n => !received.TryGetField(n, out _)))
            {
                var at = definition.Parameters.TryGetValue(spec.Name, out var value) ? value.Location : definition.Location;
                diagnostics.Add(at, PlanErrors.UnknownKeyField(what, spec.Name, name, received));
            }
        }
    }
}
