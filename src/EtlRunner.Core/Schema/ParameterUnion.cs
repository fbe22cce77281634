using System.Text.Json.Nodes;
using EtlRunner.Connectors;

namespace EtlRunner.Schema;

/// <summary>One connector's declaration of an activity parameter.</summary>
internal sealed record ParameterDeclaration(string Connector, ParameterSpec Spec);

/// <summary>
/// An activity parameter as every connector that supports the activity declares it. A schema cannot link an
/// activity to the type of the connection it names, so the schema of an activity allows the parameters of all
/// connectors; a parameter two connectors declare gets the union of their allowed values, and its description
/// says which connector means what ("sqlite: ...", one line per connector).
/// </summary>
internal sealed record ParameterUnion(string Name, IReadOnlyList<ParameterDeclaration> Declarations, int SupportingConnectors)
{
    /// <summary>The parameters of <paramref name="kind"/>, in the order the connectors are registered and declare them.</summary>
    public static IReadOnlyList<ParameterUnion> For(ConnectorRegistry registry, ActivityKind kind)
    {
        var names = new List<string>();
        var declarations = new Dictionary<string, List<ParameterDeclaration>>(StringComparer.Ordinal);
        var supporting = 0;
        foreach (var descriptor in registry.All.Select(c => c.Descriptor))
        {
            if (descriptor.FindActivity(kind) is not { } activity)
            {
                continue;
            }

            supporting++;
            foreach (var spec in activity.Parameters)
            {
                if (!declarations.TryGetValue(spec.Name, out var list))
                {
                    declarations[spec.Name] = list = [];
                    names.Add(spec.Name);
                }

                list.Add(new ParameterDeclaration(descriptor.Type, spec));
            }
        }

        return [.. names.Select(n => new ParameterUnion(n, declarations[n], supporting))];
    }

    /// <summary>Required only when every connector that supports the activity requires it.</summary>
    public bool Required => Declarations.Count == SupportingConnectors && Declarations.All(d => d.Spec.Required);

    /// <summary>"csv: ..." — one line per distinct description, prefixed with the connectors that declare it.</summary>
    public string Description => string.Join("\n", Declarations
        .GroupBy(d => d.Spec.Description, StringComparer.Ordinal)
        .Select(g => $"{string.Join(", ", g.Select(d => d.Connector))}: {g.Key}"));

    public JsonObject Schema()
    {
        if (Merged() is { } merged)
        {
            return ValueSchemas.For(merged, Description);
        }

        var shapes = Declarations
            .Select(d => ValueSchemas.Shape(d.Spec))
            .DistinctBy(s => s.ToJsonString())
            .Select(s => (JsonNode?)s);
        return new JsonObject { ["description"] = Description, ["anyOf"] = new JsonArray([.. shapes]) };
    }

    /// <summary>One spec covering every declaration, when they share a type: allowed values joined, loosest bounds, a common default.</summary>
    private ParameterSpec? Merged()
    {
        var specs = Declarations.Select(d => d.Spec).ToList();
        var first = specs[0];
        if (specs.Any(s => s.Type != first.Type))
        {
            return null;
        }

        return first with
        {
            AllowedValues = specs.All(s => s.AllowedValues is { Count: > 0 })
                ? [.. specs.SelectMany(s => s.AllowedValues!).Distinct(StringComparer.Ordinal)]
                : null,
            Default = specs.All(s => Equals(s.Default, first.Default)) ? first.Default : null,
            Minimum = specs.All(s => s.Minimum is not null) ? specs.Min(s => s.Minimum) : null,
            Maximum = specs.All(s => s.Maximum is not null) ? specs.Max(s => s.Maximum) : null,
        };
    }
}
