namespace EtlRunner.Diagnostics;

/// <summary>The messages of planning: operations resolved against their connections, activities and settings.</summary>
internal static class PlanErrors
{
    public static string CannotSet(string name) =>
        $"'{name}' cannot be set: a global variable name uses letters, digits, '_' and '.', and not the system. or jitterbit. prefixes";
}
