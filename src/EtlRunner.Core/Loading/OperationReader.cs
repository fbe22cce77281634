using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Loading;

/// <summary>Reads one operation: source, transform, target, options, set and chaining.</summary>
internal sealed class OperationReader(NodeReader nodes, ConnectorRegistry registry)
{
    private Dictionary<string, string>? _connectionTypes;

    /// <summary>Connection name → type, so activity parameters can be checked against the right connector.</summary>
    public OperationReader WithConnectionTypes(Dictionary<string, string> types)
    {
        _connectionTypes = types;
        return this;
    }

    public OperationDefinition Read(YamlMapping mapping)
    {
        var name = nodes.Text(mapping["name"], "name") ?? new Located(string.Empty, mapping.Location);
        var what = name.Value.Length > 0 ? $"operation '{name.Value}'" : "an operation";
        nodes.CheckKeys(mapping, what, PipelineKeys.Operation.Select(k => k.Name), PipelineKeys.Operation.Where(k => k.Required).Select(k => k.Name));

        var options = nodes.Mapping(mapping["options"], $"the options of {what}");
        if (options is not null)
        {
            nodes.CheckKeys(options, $"the options of {what}", PipelineKeys.Options.Select(k => k.Name));
        }

        return new OperationDefinition(
            name,
            mapping.Location,
            Activity(mapping["source"], $"the source of {what}", isSource: true),
            Transform(mapping["transform"], what),
            Activity(mapping["target"], $"the target of {what}", isSource: false),
            options is null ? new Dictionary<string, FieldValue>() : options.Entries.ToDictionary(e => e.Key.Value, e => nodes.ToField(e.Value), StringComparer.Ordinal),
            Templates(mapping["set"], $"'set' of {what}"),
            nodes.Text(mapping["on_success"], "on_success"),
            nodes.Text(mapping["on_failure"], "on_failure"))
        {
            Description = nodes.Text(mapping["description"], "description")?.Value,
        };
    }

    private ActivityDefinition? Activity(YamlNode? node, string what, bool isSource)
    {
        var mapping = nodes.Mapping(node, what);
        if (mapping is null)
        {
            return null;
        }

        var connection = nodes.Text(mapping["connection"], "connection") ?? new Located(string.Empty, mapping.Location);
        var activity = nodes.Text(mapping["activity"], "activity") ?? new Located(string.Empty, mapping.Location);
        var baseKeys = PipelineKeys.Activity.Select(k => k.Name).Concat(isSource ? PipelineKeys.SourceOnly.Select(k => k.Name) : []).ToList();
        var parameters = ParametersFor(connection.Value, activity.Value);
        if (parameters is null)
        {
            // The connection or activity is unknown (reported by validation), so its parameters are too:
            // report only keys that look like misspellings of 'connection' or 'activity'.
            var typos = mapping.Entries.Select(e => e.Key.Value).Where(k => !baseKeys.Contains(k) && Suggestions.Nearest(k, baseKeys) is null);
            nodes.CheckKeys(mapping, what, baseKeys.Concat(typos), PipelineKeys.Activity.Select(k => k.Name));
        }
        else
        {
            nodes.CheckKeys(mapping, what, baseKeys.Concat(parameters), PipelineKeys.Activity.Select(k => k.Name));
        }

        var fields = mapping.Entries
            .Where(e => !baseKeys.Contains(e.Key.Value))
            .ToDictionary(e => e.Key.Value, e => nodes.ToField(e.Value), StringComparer.Ordinal);
        return new ActivityDefinition(connection, activity, fields, mapping.Location) { Incremental = Incremental(mapping["incremental"], what) };
    }

    private IncrementalDefinition? Incremental(YamlNode? node, string what)
    {
        var mapping = nodes.Mapping(node, $"'incremental' of {what}");
        if (mapping is null)
        {
            return null;
        }

        nodes.CheckKeys(mapping, $"'incremental' of {what}", PipelineKeys.Incremental.Select(k => k.Name), PipelineKeys.Incremental.Where(k => k.Required).Select(k => k.Name));
        var field = nodes.Text(mapping["field"], "field");
        return field is null ? null : new IncrementalDefinition(field, nodes.Text(mapping["start"], "start")?.Value, mapping.Location);
    }

    private IEnumerable<string>? ParametersFor(string connection, string activity)
    {
        if (_connectionTypes is null || !_connectionTypes.TryGetValue(connection, out var type) || !registry.TryGet(type, out var connector))
        {
            return null;
        }

        return connector.Descriptor.FindActivity(activity)?.Parameters.Select(p => p.Name);
    }

    private TransformDefinition? Transform(YamlNode? node, string what)
    {
        var mapping = nodes.Mapping(node, $"the transform of {what}");
        if (mapping is null)
        {
            return null;
        }

        nodes.CheckKeys(mapping, $"the transform of {what}", PipelineKeys.Transform.Select(k => k.Name));
        var map = mapping["map"] is { } mapNode ? Templates(mapNode, $"'map' of {what}") : null;
        var where = nodes.Text(mapping["where"], "where");
        return new TransformDefinition(where is not null && mapping["where"] is YamlScalar scalar ? where with { Location = TextStart(scalar) } : where, map);
    }

    /// <summary>Where the text of a scalar starts: after the quote of a quoted one, so positions inside it are exact.</summary>
    private static SourceLocation TextStart(YamlScalar scalar) => scalar.IsPlain ? scalar.Location : scalar.Location.Shift(1);

    private List<TemplateEntry> Templates(YamlNode? node, string what)
    {
        var result = new List<TemplateEntry>();
        foreach (var (key, value) in nodes.Mapping(node, what)?.Entries ?? [])
        {
            var template = value switch
            {
                YamlScalar { IsNull: true } => new Located(string.Empty, value.Location),
                YamlScalar scalar => new Located(scalar.Value, TextStart(scalar)),
                _ => null,
            };
            if (template is null)
            {
                nodes.Diagnostics.Add(value.Location, LoadErrors.NotATemplate(what, key.Value, value.Kind));
                continue;
            }

            result.Add(new TemplateEntry(new Located(key.Value, key.Location), template));
        }

        return result;
    }

}
