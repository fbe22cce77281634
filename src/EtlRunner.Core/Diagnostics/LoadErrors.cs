namespace EtlRunner.Diagnostics;

/// <summary>
/// The messages of loading: the file, its YAML, and the shape of its sections. <c>what</c> arguments name the part
/// of the file (<c>the options of operation 'Load'</c>); <c>kind</c> arguments say what was found (<c>a list</c>).
/// </summary>
internal static class LoadErrors
{
    public static string IsAFolder() => "is a folder; give a .yaml file (etl validate accepts folders)";

    public static string FileNotFound() => "file not found";

    public static string TooLarge(long bytes, long limit) => $"the file is {bytes / (1024 * 1024)} MB; pipeline files are limited to {limit / (1024 * 1024)} MB";

    public static string NotUtf8() => "the file is not valid UTF-8 text";

    public static string Empty() => "the file is empty; a pipeline needs 'project', 'connections' and 'operations'";

    public static string YamlSyntax(string detail) => "YAML syntax error: " + detail;

    public static string SeveralDocuments() => "the file holds more than one YAML document ('---'); a pipeline file holds one";

    public static string KeyNotAName(string kind) => $"a key must be a plain name, not {kind}";

    public static string MergeKey() => "merge keys ('<<') are not supported; write the fields out";

    public static string DuplicateKey(string key, int firstLine) => $"duplicate key '{key}' (first defined at line {firstLine})";

    public static string NotAMapping(string what, string kind) => $"{what} must be a mapping (key: value), not {kind}";

    public static string NotAList(string what, string kind) => $"{what} must be a list (- item), not {kind}";

    public static string NotText(string what, string kind) => $"{what} must be text, not {kind}";

    public static string NotABoolean(string what, object value) => $"{what} must be true or false, not '{value}'";

    public static string NotAScalar(string what, string kind) => $"{what} must be a single value, not {kind}";

    public static string NotAnIndex(string what, string found) => $"{what} must be a whole number from 0, not {found}";

    public static string NotATemplate(string what, string key, string kind) => $"the {what} entry '{key}' must be a template (text), not {kind}";

    /// <summary>An unknown key: the nearest known one, else every known one; then the hint, if any.</summary>
    public static string UnknownKey(string key, string what, IReadOnlyList<string> known, string? hint)
    {
        var suggestion = Suggestions.DidYouMean(key, known);
        var valid = suggestion.Length == 0 ? $"; valid keys: {string.Join(", ", known)}" : string.Empty;
        return $"unknown key '{key}' in {what}{suggestion}{valid}{hint}";
    }

    public static string MissingKey(string what, string key) => $"{what} is missing the required key '{key}'";

    public static string UnknownConnectorType(string type, IReadOnlyCollection<string> known) =>
        $"unknown connector type '{type}'{Suggestions.DidYouMean(type, known)}. Known types: {string.Join(", ", known)}";
}
