using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Planning;

/// <summary>One side of an operation, ready to run: the connector, the activity and their resolved settings.</summary>
public sealed record ActivityPlan(ConnectionDefinition Connection, IConnector Connector, ActivityKind Kind, Settings ConnectionSettings, Settings ActivitySettings)
{
    public string Describe() => $"{Connection.Name.Value} ({Connector.Descriptor.Type}) {Kind.ToName()}";
}

/// <summary>The transform of an operation with its templates parsed once.</summary>
public sealed record TransformPlan(ScriptTemplate? Where, IReadOnlyList<KeyValuePair<string, ScriptTemplate>>? Map)
{
    public bool IsEmpty => Where is null && Map is null;

    /// <summary>The templates that read the record, each with its key (<c>where</c>, <c>map.email</c>).</summary>
    public IEnumerable<(string Label, ScriptTemplate Template)> Templates()
    {
        if (Where is not null)
        {
            yield return ("where", Where);
        }

        foreach (var (name, template) in Map ?? [])
        {
            yield return ($"map.{name}", template);
        }
    }

    /// <summary>The record fields the templates read, as written (<c>email_address.address</c>), each once.</summary>
    public IReadOnlyList<string> FieldsUsed() => [.. Templates()
        .SelectMany(t => t.Template.Names)
        .Where(u => u.Kind == NameKind.Field && u.Path.Count > 0)
        .Select(u => string.Join(".", u.Path.Select(p => p.Name)))
        .Distinct(StringComparer.Ordinal)];

    /// <summary>Checks the record fields the templates read against the fields the source's records have.</summary>
    public void CheckFields(string what, RecordShape shape, DiagnosticBag diagnostics)
    {
        foreach (var (label, template) in Templates())
        {
            NameCheck.CheckFields($"{what}, {label}", template, shape, diagnostics);
        }
    }

    /// <summary>Parses a transform's <c>where</c> and <c>map</c>, reporting syntax errors with their positions.</summary>
    public static TransformPlan Parse(TransformDefinition? transform, DiagnosticBag diagnostics) => new(
        transform?.Where is { } where ? ScriptTemplate.ParseExpression(where, diagnostics) : null,
        transform?.Map?.Select(e => KeyValuePair.Create(e.Name.Value, ScriptTemplate.ParseTemplate(e.Template, diagnostics))).ToList());
}

/// <summary>An operation resolved against the variables in scope, its templates (<c>where</c>, <c>map</c>, <c>set</c>) parsed once.</summary>
public sealed record OperationPlan(
    OperationDefinition Definition,
    ActivityPlan Source,
    TransformPlan Transform,
    ActivityPlan Target,
    OperationOptions Options,
    IReadOnlyList<KeyValuePair<string, ScriptTemplate>> Set)
{
    public string Name => Definition.Name.Value;

    /// <summary>Its settings name values known only when it starts: <see cref="OperationPlanner.BindAtStart"/> binds them then.</summary>
    public bool BoundAtStart { get; init; }

    /// <summary>The watermark its incremental source starts from, set when the operation starts (null: not incremental, or not started).</summary>
    public string? Watermark { get; init; }
}
