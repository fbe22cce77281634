namespace EtlRunner.Expressions;

/// <summary>The characters of <c>[reference]</c> expansion that every <see cref="VariableScope"/> over one pipeline's variables may render together.</summary>
public sealed class ExpansionBudget
{
    public const long MaxLength = 64L << 20;

    private long _spent;

    public bool TrySpend(long characters) => Interlocked.Add(ref _spent, characters) <= MaxLength;
}
