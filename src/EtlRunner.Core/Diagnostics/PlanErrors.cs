using System.Globalization;
using EtlRunner.Connectors;

namespace EtlRunner.Diagnostics;

/// <summary>
/// The messages of planning: an operation resolved against its connections and activities, its settings bound.
/// <paramref name="what"/> arguments name the part of the file (<c>the source of operation 'Load'</c>).
/// </summary>
internal static class PlanErrors
{
    public static string NoSuchConnection(string what, string name, IReadOnlyList<string> declared) =>
        $"{what}: no connection named '{name}'{Suggestions.DidYouMean(name, declared)}; declared connections: {Suggestions.ListOrNone(declared)}";

    public static string UnknownActivity(string what, string name, ConnectorDescriptor connector) =>
        $"{what}: unknown activity '{name}'{Suggestions.DidYouMean(name, connector.KnownActivities(ActivityRole.Source).Concat(connector.KnownActivities(ActivityRole.Target)).Select(k => k.Name))}; {connector.DescribeSupportedActivities()}";

    public static string ReadsAsTarget(string what, ActivityKind kind, ConnectorDescriptor connector) =>
        $"{what}: '{kind.ToName()}' reads records; a target's activity is {Activities(connector, ActivityRole.Target)}";

    public static string WritesAsSource(string what, ActivityKind kind, ConnectorDescriptor connector) =>
        $"{what}: '{kind.ToName()}' writes records; a source's activity is {Activities(connector, ActivityRole.Source)}";

    public static string UnsupportedActivity(string what, ConnectorDescriptor connector, ActivityKind kind) =>
        $"{what}: {connector.DescribeSupportedActivities()}, not {kind.ToName()}";

    public static string ConnectorProblem(string what, string problem) => $"{what}: {problem}";

    public static string CannotSet(string name) =>
        $"'{name}' cannot be set: a global variable name uses letters, digits, '_' and '.', and not the system. or jitterbit. prefixes";

    public static string MissingSetting(string what, ParameterSpec spec) =>
        $"{what} is missing the required field '{spec.Name}' ({spec.Description})";

    public static string EmptySetting(string what, ParameterSpec spec) =>
        $"{what}: '{spec.Name}' is required but resolved to an empty value";

    /// <param name="expected">What the type takes: <c>a whole number</c>.</param>
    /// <param name="shown">The value as it may be shown (masked when secret).</param>
    public static string WrongType(string what, ParameterSpec spec, string expected, string shown) =>
        $"{what}: '{spec.Name}' must be {expected}, not {shown}";

    public static string OutOfRange(string what, ParameterSpec spec, long value) =>
        string.Create(CultureInfo.InvariantCulture, $"{what}: '{spec.Name}' must be between {spec.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-inf"} and {spec.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "inf"}, not {value}");

    public static string NotAllowed(string what, ParameterSpec spec, string chosen, IReadOnlyList<string> allowed) =>
        $"{what}: '{spec.Name}' must be one of {string.Join(", ", allowed)}, not '{chosen}'{Suggestions.DidYouMean(chosen, allowed)}";

    public static string ItemNotAllowed(string what, ParameterSpec spec, string item, IReadOnlyList<string> allowed) =>
        $"{what}: '{item}' is not a valid value for '{spec.Name}'; valid values: {string.Join(", ", allowed)}";

    public static string UnknownIncrementalField(string what, string field, RecordShape source) =>
        $"{what}: the incremental field {NotAField(field, source)}";

    public static string UnknownKeyField(string what, string setting, string field, RecordShape received) =>
        $"{what}: the target's {setting} {NotAField(field, received)}";

    public static string NoSuchOperation(string option, string name, IEnumerable<string> operations) =>
        $"{option} '{name}': no such operation{Suggestions.DidYouMean(name, operations)}";

    private static string NotAField(string name, RecordShape shape) =>
        $"'{name}' is not a field of the records{Suggestions.DidYouMean(name, shape.Names)}; {shape.Description} has: {Expressions.NameCheck.List(shape.Names)}";

    private static string Activities(ConnectorDescriptor connector, ActivityRole role)
    {
        // What this connector supports in that role; all it knows when it supports none (a source-only connector as a target).
        var supported = connector.Activities.Select(a => a.Kind).Where(k => k.Role == role).ToList();
        var allowed = (supported.Count > 0 ? supported : connector.KnownActivities(role)).Select(k => k.Name).ToList();
        return allowed.Count == 1 ? allowed[0] : $"{string.Join(", ", allowed.Take(allowed.Count - 1))} or {allowed[^1]}";
    }
}
