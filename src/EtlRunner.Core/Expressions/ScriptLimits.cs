namespace EtlRunner.Expressions;

/// <summary>Limits that cut off runaway expressions: loops, recursion, output size, time spent in a regular expression.</summary>
public sealed record ScriptLimits
{
    public static ScriptLimits Default { get; } = new();

    public int LoopLimit { get; init; } = 10_000;

    public int RecursiveLimit { get; init; } = 64;

    public int ObjectRecursionLimit { get; init; } = 32;

    public int MaxStringLength { get; init; } = 1_048_576;

    /// <summary>
    /// How long one regular expression may run on one record (Scriban's own default is 10 s): a pattern that backtracks
    /// without end rejects its record instead of holding the operation past its timeout.
    /// </summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
