using System.Globalization;
using EtlRunner.Diagnostics;
using EtlRunner.Model;

namespace EtlRunner.Expressions;

/// <summary>A <c>[reference]</c> that cannot be resolved, with where it is.</summary>
public sealed class VariableResolutionException(SourceLocation location, string message) : Exception(message)
{
    public SourceLocation Location { get; } = location;
}

/// <summary>
/// Resolves <c>[name]</c> references, searching global variables (set by <c>set:</c> upstream in the chain),
/// then project variables, then system variables.
/// </summary>
/// <remarks>
/// Expansion is bounded, because a few hundred bytes of defaults that each repeat the previous one can describe
/// gigabytes: a resolved value holds at most <see cref="MaxValueLength"/> characters, each YAML default is expanded
/// once per scope (so repeating a variable costs its length, not its expansion again), and every scope over one
/// pipeline's <see cref="ProjectVariables"/> together renders at most <see cref="ExpansionBudget.MaxLength"/>
/// characters.
/// </remarks>
public sealed class VariableScope(IReadOnlyDictionary<string, object?> globals, ProjectVariables project, SystemVariables system)
{
    public const int MaxValueLength = 1 << 20;

    private const int MaxDepth = 32;

    private readonly Dictionary<string, object?> _expanded = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, object?> Globals { get; } = globals;

    public ProjectVariables Project { get; } = project;

    public SystemVariables System { get; } = system;

    /// <summary>Resolves every reference in a YAML value; strings that are one reference keep the variable's type.</summary>
    public object? Resolve(FieldValue field) => field.Value switch
    {
        string text => ResolveText(text, field.Quoted ? field.Location.Shift(1) : field.Location, null, []),
        IReadOnlyList<FieldValue> items => items.Select(Resolve).ToList(),
        IReadOnlyDictionary<string, FieldValue> map => map.ToDictionary(e => e.Key, e => Resolve(e.Value), StringComparer.Ordinal),
        var scalar => scalar,
    };

    /// <summary>The value of one reference inside a text field at <paramref name="location"/>.</summary>
    public object? Resolve(VariableReference reference, SourceLocation location) => ResolveReference(reference, location, []);

    /// <param name="variable">The variable whose default <paramref name="text"/> is, or null for a field.</param>
    private object? ResolveText(string text, SourceLocation location, string? variable, HashSet<string> resolving)
    {
        var template = VariableTemplate.Parse(text);
        if (template.References.Count == 0)
        {
            return template.Render(_ => string.Empty);
        }

        object? single = null;
        long length = text.Length - template.References.Sum(r => r.Length); // the literal parts, at most
        var rendered = template.Render(reference =>
        {
            var value = ResolveReference(reference, location, resolving);
            single = value;
            var part = ToText(value);
            length += part.Length;
            if (length > MaxValueLength)
            {
                var what = variable is null ? "this value" : $"variable '{variable}'";
                throw new VariableResolutionException(location, $"{what} expands to more than {Count(MaxValueLength)} characters, the limit for a resolved value (at [{reference.Name}]): repeat the variable less or make it smaller");
            }

            if (!Project.Expansion.TrySpend(part.Length))
            {
                throw new VariableResolutionException(location.Shift(reference.Offset), $"expanding [{reference.Name}]{(variable is null ? string.Empty : $" in variable '{variable}'")} goes past {Count(ExpansionBudget.MaxLength)} characters of variable expansion for the pipeline: repeat large variables less");
            }

            return part;
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

        if (_expanded.TryGetValue(reference.Name, out var expanded))
        {
            return expanded;
        }

        // A YAML default may itself refer to other variables.
        if (!resolving.Add(reference.Name) || resolving.Count > MaxDepth)
        {
            throw new VariableResolutionException(at, $"variable '{reference.Name}' refers to itself through {string.Join(" -> ", resolving.Append(reference.Name))}");
        }

        var result = ResolveText(text, variable.Location, reference.Name, resolving);
        resolving.Remove(reference.Name);
        _expanded[reference.Name] = result;
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

    /// <param name="name">The name that was not found.</param>
    /// <param name="alsoKnown">Other names in reach where the reference sits (globals set upstream, built-in functions), for the suggestion.</param>
    public string UndefinedMessage(string name, IEnumerable<string>? alsoKnown = null)
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
            .Concat(SystemVariables.Names.Select(n => "system." + n))
            .Concat(alsoKnown ?? []);
        return $"undefined variable '{name}' (searched global, project and system variables){Suggestions.DidYouMean(name, candidates)}";
    }

    private static string Count(long characters) => characters.ToString("N0", CultureInfo.InvariantCulture);

    public static string ToText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
