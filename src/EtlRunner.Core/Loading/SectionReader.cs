using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Loading;

/// <summary>Reads the sections of a pipeline file into the model, reporting shape problems as it goes.</summary>
internal sealed class SectionReader(NodeReader nodes, ConnectorRegistry registry)
{
    public IReadOnlyList<VariableDefinition> Variables(YamlNode? node)
    {
        var mapping = nodes.Mapping(node, "'variables'");
        if (mapping is null)
        {
            return [];
        }

        var result = new List<VariableDefinition>();
        foreach (var (key, value) in mapping.Entries)
        {
            var name = new Located(key.Value, key.Location);
            if (value is YamlMapping longForm)
            {
                nodes.CheckKeys(longForm, $"variable '{key.Value}'", PipelineKeys.Variable.Select(k => k.Name));
                var description = nodes.Text(longForm["description"], "description")?.Value;
                var secret = nodes.Boolean(longForm["secret"], "secret") ?? false;
                var defaultValue = longForm["value"] is { } v ? Scalar(v, $"the value of '{key.Value}'") : null;
                result.Add(new VariableDefinition(name, defaultValue, description, secret));
            }
            else
            {
                result.Add(new VariableDefinition(name, Scalar(value, $"the value of '{key.Value}'"), null, false));
            }
        }

        return result;
    }

    public IReadOnlyList<EnvironmentDefinition> Environments(YamlNode? node)
    {
        var mapping = nodes.Mapping(node, "'environments'");
        if (mapping is null)
        {
            return [];
        }

        var result = new List<EnvironmentDefinition>();
        foreach (var (key, value) in mapping.Entries)
        {
            var environment = nodes.Mapping(value, $"environment '{key.Value}'");
            var overrides = new List<KeyValuePair<Located, FieldValue>>();
            if (environment is not null)
            {
                nodes.CheckKeys(environment, $"environment '{key.Value}'", PipelineKeys.Environment.Select(k => k.Name));
                foreach (var (name, v) in nodes.Mapping(environment["variables"], $"the variables of environment '{key.Value}'")?.Entries ?? [])
                {
                    if (Scalar(v, $"the value of '{name.Value}'") is { } field)
                    {
                        overrides.Add(new(new Located(name.Value, name.Location), field));
                    }
                }
            }

            result.Add(new EnvironmentDefinition(new Located(key.Value, key.Location), overrides));
        }

        return result;
    }

    public IReadOnlyList<ConnectionDefinition> Connections(YamlNode? node)
    {
        var result = new List<ConnectionDefinition>();
        foreach (var item in nodes.Sequence(node, "'connections'")?.Items ?? [])
        {
            var mapping = nodes.Mapping(item, "a connection");
            if (mapping is null)
            {
                continue;
            }

            var name = nodes.Text(mapping["name"], "name") ?? new Located(string.Empty, mapping.Location);
            var type = nodes.Text(mapping["type"], "type") ?? new Located(string.Empty, mapping.Location);
            var what = name.Value.Length > 0 ? $"connection '{name.Value}'" : "a connection";
            var known = PipelineKeys.Connection.Select(k => k.Name).ToList();
            if (registry.TryGet(type.Value, out var connector))
            {
                known.AddRange(connector.Descriptor.ConnectionParameters.Select(p => p.Name));
                nodes.CheckKeys(mapping, what, known, ["name", "type"]);
            }
            else
            {
                nodes.CheckKeys(mapping, what, PipelineKeys.Connection.Select(k => k.Name).Concat(mapping.Entries.Select(e => e.Key.Value)), ["name", "type"]);
                if (type.Value.Length > 0)
                {
                    nodes.Diagnostics.Add(type.Location, LoadErrors.UnknownConnectorType(type.Value, registry.Types));
                }
            }

            result.Add(new ConnectionDefinition(name, type, Fields(mapping, PipelineKeys.Connection.Select(k => k.Name)), mapping.Location));
        }

        return result;
    }

    public IReadOnlyList<OperationDefinition> Operations(YamlNode? node, IReadOnlyList<ConnectionDefinition> connections)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            types.TryAdd(connection.Name.Value, connection.Type.Value);
        }

        var reader = new OperationReader(nodes, registry).WithConnectionTypes(types);
        var result = new List<OperationDefinition>();
        foreach (var item in nodes.Sequence(node, "'operations'")?.Items ?? [])
        {
            if (nodes.Mapping(item, "an operation") is { } mapping)
            {
                result.Add(reader.Read(mapping));
            }
        }

        return result;
    }

    private FieldValue? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalar)
        {
            return nodes.ToField(node);
        }

        nodes.Diagnostics.Add(node.Location, LoadErrors.NotAScalar(what, node.Kind));
        return null;
    }

    internal Dictionary<string, FieldValue> Fields(YamlMapping mapping, IEnumerable<string> except)
    {
        var skip = except.ToHashSet(StringComparer.Ordinal);
        return mapping.Entries
            .Where(e => !skip.Contains(e.Key.Value))
            .ToDictionary(e => e.Key.Value, e => nodes.ToField(e.Value), StringComparer.Ordinal);
    }
}
