namespace EtlRunner.Diagnostics;

/// <summary>The messages of the expression checks: syntax, and the names a template uses.</summary>
internal static class ExpressionErrors
{
    public static string Syntax(string expression, string detail) => $"expression error in '{expression}': {detail}";

    /// <summary>A problem with a name a template uses, said where the template is (<c>operation 'Load', map.email</c>).</summary>
    public static string InTemplate(string what, string problem) => $"{what}: {problem}";

    public static string UnknownFunction(string function, string root, string suggestion, string members) =>
        $"unknown function '{function}'{suggestion}; {root} has: {members}";

    public static string UnknownSystemVariable(string name, IEnumerable<string> known) =>
        $"unknown system variable '{name}'{Suggestions.DidYouMean(name, known)}";

    public static string NoRecordInSet(string name) => $"'{name}': there is no record here; set: runs once, after the operation succeeded";

    public static string UnknownField(string what, string path, string suggestion, string owner, string fields) =>
        $"{what}: unknown field '{path}'{suggestion}; {owner} has: {fields}";
}
