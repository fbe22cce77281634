namespace EtlRunner.Connectors;

/// <summary>What an activity does: <c>query</c> is a source; <c>create</c>, <c>update</c> and <c>delete</c> are targets.</summary>
public enum ActivityKind
{
    Query,
    Create,
    Update,
    Delete,
}

public static class ActivityKinds
{
    public static IReadOnlyList<ActivityKind> All { get; } = [ActivityKind.Query, ActivityKind.Create, ActivityKind.Update, ActivityKind.Delete];

    public static string ToName(this ActivityKind kind) => kind switch
    {
        ActivityKind.Query => "query",
        ActivityKind.Create => "create",
        ActivityKind.Update => "update",
        ActivityKind.Delete => "delete",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out ActivityKind kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static bool IsTarget(this ActivityKind kind) => kind != ActivityKind.Query;
}
