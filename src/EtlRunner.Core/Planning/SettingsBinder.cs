using System.Globalization;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Planning;

/// <summary>
/// Turns the raw YAML fields of a connection or activity into <see cref="Settings"/>: resolves <c>[variables]</c>,
/// converts each value to its declared type, applies defaults, makes paths absolute (against the YAML file's
/// folder, or the folder <c>--var</c> was typed in for a path that starts with a <c>--var</c> value), and registers secret values with the masker. Problems go to the diagnostics with their location.
/// </summary>
public sealed class SettingsBinder(VariableScope scope, string baseDirectory, SecretMasker masker)
{
    /// <summary>Names the binder must not try to resolve (globals set at run time, unknown during validation).</summary>
    public IReadOnlySet<string> Deferred { get; init; } = new HashSet<string>();

    /// <summary>A field bound so far names a deferred variable: it is left unset, to be bound when its value is known.</summary>
    public bool UsedDeferred { get; private set; }

    public Settings Bind(IReadOnlyList<ParameterSpec> specs, IReadOnlyDictionary<string, FieldValue> fields, SourceLocation owner, string what, DiagnosticBag diagnostics)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!fields.TryGetValue(spec.Name, out var field) || field.Value is null)
            {
                if (spec.Required)
                {
                    diagnostics.Add(owner, PlanErrors.MissingSetting(what, spec));
                }

                values[spec.Name] = spec.Default;
                continue;
            }

            if (spec.Bound && field.Value is string text)
            {
                values[spec.Name] = BindText(text, field, diagnostics);
                continue;
            }

            if (ReferencesDeferred(field))
            {
                UsedDeferred = true;
                values[spec.Name] = null;
                continue;
            }

            try
            {
                var resolved = scope.Resolve(field);
                if (spec.Secret)
                {
                    masker.Add(VariableScope.ToText(resolved));
                }

                values[spec.Name] = Convert(spec, resolved, spec.Type == ParameterType.Path ? PathBase(field) : baseDirectory, field.Location, what, diagnostics);
            }
            catch (VariableResolutionException ex)
            {
                diagnostics.Add(ex.Location, ex.Message);
            }
        }

        return new Settings(values);
    }

    /// <summary>Keeps each reference's value apart from the text (a deferred one, unknown yet, as null).</summary>
    private BoundText BindText(string text, FieldValue field, DiagnosticBag diagnostics)
    {
        var template = VariableTemplate.Parse(text);
        var at = field.Quoted ? field.Location.Shift(1) : field.Location;
        var values = new List<object?>();
        foreach (var reference in template.References)
        {
            if (Deferred.Contains(reference.Name))
            {
                UsedDeferred = true;
                values.Add(null);
                continue;
            }

            try
            {
                values.Add(scope.Resolve(reference, at));
            }
            catch (VariableResolutionException ex)
            {
                diagnostics.Add(ex.Location, ex.Message);
                values.Add(null);
            }
        }

        return new BoundText(text, template.Literals(), values);
    }

    private bool ReferencesDeferred(FieldValue field) => Deferred.Count > 0 && field.Value switch
    {
        string text => VariableTemplate.Parse(text).References.Any(r => Deferred.Contains(r.Name)),
        IReadOnlyList<FieldValue> items => items.Any(ReferencesDeferred),
        IReadOnlyDictionary<string, FieldValue> map => map.Values.Any(ReferencesDeferred),
        _ => false,
    };

    /// <summary>
    /// Where a relative path in <paramref name="field"/> resolves: the folder <c>--var</c> was typed in when the path
    /// starts with a variable set there (directly, or through the YAML variables it starts with), else the YAML
    /// file's folder.
    /// </summary>
    private string PathBase(FieldValue field)
    {
        var text = field.Value as string;
        for (var depth = 0; text is not null && depth < 16; depth++)
        {
            var template = VariableTemplate.Parse(text);
            if (template.References is not [var first, ..] || template.Literals()[0].Length > 0 || !scope.Project.TryGet(first.Name, out var variable))
            {
                break;
            }

            if (variable.BaseDirectory is { } folder)
            {
                return folder;
            }

            text = variable.IsData ? null : variable.Value as string;
        }

        return baseDirectory;
    }

    private object? Convert(ParameterSpec spec, object? value, string pathBase, SourceLocation at, string what, DiagnosticBag diagnostics)
    {
        string Bad(string expected) => PlanErrors.WrongType(what, spec, expected, Show(spec, value));
        var text = value as string;
        if (text is { Length: 0 } && spec.Type is not ParameterType.String)
        {
            if (spec.Required)
            {
                diagnostics.Add(at, PlanErrors.EmptySetting(what, spec));
            }

            return spec.Default;
        }

        object? result;
        switch (spec.Type)
        {
            case ParameterType.String:
                result = value is IReadOnlyList<object?> or IReadOnlyDictionary<string, object?> ? null : VariableScope.ToText(value);
                if (result is null)
                {
                    diagnostics.Add(at, Bad("text"));
                }

                if (spec.Required && result is "")
                {
                    diagnostics.Add(at, PlanErrors.EmptySetting(what, spec));
                }

                break;
            case ParameterType.Path:
                var path = VariableScope.ToText(value);
                result = path.Length == 0 ? null : Path.GetFullPath(Path.Combine(pathBase, path));
                break;
            case ParameterType.Integer:
                result = value switch
                {
                    long l => l,
                    double d when d == Math.Floor(d) => (long)d,
                    string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    _ => null,
                };
                if (result is null)
                {
                    diagnostics.Add(at, Bad("a whole number"));
                }
                else if ((long)result < (spec.Minimum ?? long.MinValue) || (long)result > (spec.Maximum ?? long.MaxValue))
                {
                    diagnostics.Add(at, PlanErrors.OutOfRange(what, spec, (long)result));
                }

                break;
            case ParameterType.Number:
                result = value switch
                {
                    long l => (double)l,
                    double d => d,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                    _ => null,
                };
                if (result is null)
                {
                    diagnostics.Add(at, Bad("a number"));
                }

                break;
            case ParameterType.Boolean:
                result = value switch
                {
                    bool b => b,
                    string s when bool.TryParse(s.Trim(), out var parsed) => parsed,
                    _ => null,
                };
                if (result is null)
                {
                    diagnostics.Add(at, Bad("true or false"));
                }

                break;
            case ParameterType.StringList:
                result = value switch
                {
                    IReadOnlyList<object?> items => items.Select(VariableScope.ToText).ToList(),
                    string s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
                    _ => new List<string> { VariableScope.ToText(value) },
                };
                break;
            case ParameterType.Duration:
                result = value switch
                {
                    long seconds when seconds >= 0 => TimeSpan.FromSeconds(seconds),
                    double seconds when seconds >= 0 => TimeSpan.FromSeconds(seconds),
                    string s => DurationText.Parse(s),
                    _ => null,
                };
                if (result is null)
                {
                    diagnostics.Add(at, Bad(DurationText.Examples));
                }

                break;
            case ParameterType.ChangeLimit:
                result = value switch
                {
                    long count when count >= 0 => new ChangeLimit(count, null),
                    string s => ChangeLimit.TryParse(s),
                    _ => null,
                };
                if (result is null)
                {
                    diagnostics.Add(at, Bad("a count (50) or a percentage (5%)"));
                }

                break;
            case ParameterType.Map:
                result = value as IReadOnlyDictionary<string, object?>;
                if (result is null)
                {
                    diagnostics.Add(at, Bad("a mapping (name: value)"));
                }

                break;
            default:
                result = value;
                break;
        }

        if (spec.AllowedValues is { Count: > 0 } allowed && result is string chosen && !allowed.Contains(chosen, StringComparer.Ordinal))
        {
            diagnostics.Add(at, PlanErrors.NotAllowed(what, spec, chosen, allowed));
        }

        if (spec.AllowedValues is { Count: > 0 } allowedItems && result is List<string> chosenItems)
        {
            foreach (var item in chosenItems.Where(i => !allowedItems.Contains(i, StringComparer.Ordinal)))
            {
                diagnostics.Add(at, PlanErrors.ItemNotAllowed(what, spec, item, allowedItems));
            }
        }

        return result;
    }

    private static string Show(ParameterSpec spec, object? value) =>
        spec.Secret ? SecretMasker.Mask : value switch
        {
            string s => $"'{s}'",
            null => "nothing",
            IReadOnlyList<object?> => "a list",
            IReadOnlyDictionary<string, object?> => "a mapping",
            _ => $"'{VariableScope.ToText(value)}'",
        };
}
