using EtlRunner.Connectors;
using EtlRunner.Diagnostics;

namespace EtlRunner.Expressions;

/// <summary>
/// Checks the names expressions use, once per operation and before any record: variables in scope, Scriban's
/// built-in functions, system variables and record fields. This is the one place that finds undefined names in
/// expressions; at run time they would only fail record by record, or read as a silent null.
/// </summary>
/// <param name="scope">The variables the expressions will see.</param>
/// <param name="deferred">Names that will have a value by then without having one now (globals set upstream).</param>
internal sealed class NameCheck(VariableScope scope, IReadOnlySet<string> deferred)
{
    private const int MaxListed = 30;

    /// <summary>Checks variables, functions and system variables; <paramref name="hasRecord"/> is false for <c>set:</c>.</summary>
    public void Check(string what, ScriptTemplate template, DiagnosticBag diagnostics, bool hasRecord = true)
    {
        foreach (var use in template.Names)
        {
            var message = use.Kind switch
            {
                NameKind.Variable when !IsDefined(use.Root) =>
                    scope.UndefinedMessage(use.Root, deferred.Concat(ExpressionNames.BuiltinNames)),
                NameKind.Function when ExpressionNames.BuiltinMembers(use.Root) is { } members && !members.Contains(use.Path[0].Name) =>
                    ExpressionErrors.UnknownFunction(use.Text, use.Root, Did(use.Root, use.Path[0].Name, members), List(members.Order(StringComparer.Ordinal))),
                NameKind.System when !IsSystemName(use) =>
                    ExpressionErrors.UnknownSystemVariable(use.Text, SystemVariables.Names.Select(n => use.Root + "." + n)),
                NameKind.Field when !hasRecord =>
                    ExpressionErrors.NoRecordInSet(use.Text),
                _ => null,
            };
            if (message is not null)
            {
                var at = use.Kind == NameKind.Function ? use.Path[0].Position : use.Position;
                diagnostics.Add(template.At(at), ExpressionErrors.InTemplate(what, message));
            }
        }
    }

    /// <summary>Checks the record fields a template reads against the fields the records have.</summary>
    public static void CheckFields(string what, ScriptTemplate template, RecordShape shape, DiagnosticBag diagnostics)
    {
        foreach (var use in template.Names.Where(u => u.Kind == NameKind.Field))
        {
            var current = shape;
            var path = ExpressionNames.Record;
            foreach (var segment in use.Path)
            {
                if (!current.TryGetField(segment.Name, out var nested))
                {
                    var owner = path == ExpressionNames.Record ? current.Description : $"{path} ({current.Description})";
                    diagnostics.Add(template.At(segment.Position),
                        ExpressionErrors.UnknownField(what, $"{path}.{segment.Name}", Did(path, segment.Name, current.Names), owner, List(current.Names)));
                    break;
                }

                if (nested is null)
                {
                    break; // its inside is not described
                }

                current = nested;
                path += "." + segment.Name;
            }
        }
    }

    private bool IsDefined(string name) =>
        scope.Globals.ContainsKey(name) || deferred.Contains(name) || (scope.Project.TryGet(name, out var variable) && variable.HasValue);

    private static bool IsSystemName(NameUse use)
    {
        var name = string.Join(".", use.Path.Select(p => p.Name));
        return name.Length == 0 || SystemVariables.Names.Any(n => n == name || n.StartsWith(name + ".", StringComparison.Ordinal) || name.StartsWith(n + ".", StringComparison.Ordinal));
    }

    /// <summary>" (did you mean 'record.opt_in'?)", or nothing when no candidate is near.</summary>
    public static string Did(string prefix, string name, IEnumerable<string> candidates) =>
        Suggestions.Nearest(name, candidates) is { } nearest ? $" (did you mean '{prefix}.{nearest}'?)" : string.Empty;

    /// <summary>The names, at most 30 of them, for a message.</summary>
    public static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count <= MaxListed ? string.Join(", ", all) : string.Join(", ", all.Take(MaxListed)) + $", ... ({all.Count - MaxListed} more)";
    }
}
