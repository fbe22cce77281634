namespace EtlRunner.Expressions;

/// <summary>Limits that cut off runaway expressions: loops, recursion, output size.</summary>
public sealed record ScriptLimits
{
    public static ScriptLimits Default { get; } = new();

    public int LoopLimit { get; init; } = 10_000;

    public int RecursiveLimit { get; init; } = 64;

    public int ObjectRecursionLimit { get; init; } = 32;

    public int MaxStringLength { get; init; } = 1_048_576;
}
