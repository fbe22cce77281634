using System.Globalization;
using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Expressions;

/// <summary>A <c>[reference]</c> that cannot be resolved, with where it is.</summary>
public sealed class VariableResolutionException(SourceLocation location, string message) : Exception(message)
{
    public SourceLocation Location { get; } = location;

    public Diagnostic ToDiagnostic() => new(Location, Message);
}

/// <summary>
/// Resolves <c>[name]</c> references, searching global variables (set by <c>set:</c> upstream in the chain),
/// then project variables, then system variables.
/// </summary>
public sealed class VariableScope(IReadOnlyDictionary<string, object?> globals, ProjectVariables project, SystemVariables system)
{
    private const int MaxDepth = 32;

    public IReadOnlyDictionary<string, object?> Globals { get; } = globals;

    public ProjectVariables Project { get; } = project;

    public SystemVariables System { get; } = system;

    /// <summary>Resolves every reference in a YAML value; strings that are one reference keep the variable's type.</summary>
    public object? Resolve(FieldValue field) => field.Value switch
    {
        string text => ResolveText(text, field.Quoted ? field.Location.Shift(1) : field.Location, []),
        IReadOnlyList<FieldValue> items => items.Select(Resolve).ToList(),
        IReadOnlyDictionary<string, FieldValue> map => map.ToDictionary(e => e.Key, e => Resolve(e.Value), StringComparer.Ordinal),
        var scalar => scalar,
    };

    /// <summary>The value of one reference inside a text field at <paramref name="location"/>.</summary>
    public object? Resolve(VariableReference reference, SourceLocation location) => ResolveReference(reference, location, []);

    private object? ResolveText(string text, SourceLocation location, HashSet<string> resolving)
    {
        var template = VariableTemplate.Parse(text);
        if (template.References.Count == 0)
        {
            return template.Render(_ => string.Empty);
        }

        object? single = null;
        var rendered = template.Render(reference =>
        {
            var value = ResolveReference(reference, location, resolving);
            single = value;
            return ToText(value);
        });
        return template.IsSingleReference ? single : rendered;
    }

    private object? ResolveReference(VariableReference reference, SourceLocation location, HashSet<string> resolving)
    {
        var at = location.Shift(reference.Offset);
        if (!TryLookup(reference.Name, out var variable, out var value))
        {
            if (reference.Fallback is not null)
            {
                return reference.Fallback;
            }

            throw new VariableResolutionException(at, UndefinedMessage(reference.Name));
        }

        if (variable is null || variable.IsData || value is not string text)
        {
            return value;
        }

        // A YAML default may itself refer to other variables.
        if (!resolving.Add(reference.Name) || resolving.Count > MaxDepth)
        {
            throw new VariableResolutionException(at, $"variable '{reference.Name}' refers to itself through {string.Join(" -> ", resolving.Append(reference.Name))}");
        }

        var result = ResolveText(text, variable.Location, resolving);
        resolving.Remove(reference.Name);
        return result;
    }

    private bool TryLookup(string name, out ProjectVariable? variable, out object? value)
    {
        variable = null;
        if (Globals.TryGetValue(name, out value))
        {
            return true;
        }

        if (Project.TryGet(name, out var projectVariable) && projectVariable.HasValue)
        {
            variable = projectVariable;
            value = projectVariable.Value;
            return true;
        }

        return System.TryGet(name, out value);
    }

    public string UndefinedMessage(string name)
    {
        if (Project.TryGet(name, out var declared) && !declared.HasValue)
        {
            var how = $"--var {name}=..., the environment variable {VariableInputs.EnvironmentVariableName(name)}, or --env-file";
            return declared.Secret
                ? $"secret variable '{name}' has no value: supply it with {how}"
                : $"variable '{name}' has no value: give it a default under 'variables' or supply it with {how}";
        }

        var candidates = Globals.Keys
            .Concat(Project.All.Select(v => v.Name))
            .Concat(SystemVariables.Names.Select(n => "system." + n));
        return $"undefined variable '{name}' (searched global, project and system variables){Loading.Suggestions.DidYouMean(name, candidates)}";
    }

    public static string ToText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
