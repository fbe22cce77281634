namespace EtlRunner.Connectors;

/// <summary>
/// A text parameter whose <c>[variable]</c> references stay values (<see cref="ParameterSpec.Bound"/>): the literal
/// parts of the text, and the value of each reference between them. The connector renders the text with a
/// placeholder of its own syntax in place of each value and binds the values, so a value can never change the
/// statement. <see cref="ToString"/> is the text as written, references included.
/// </summary>
public sealed class BoundText
{
    public BoundText(string written, IReadOnlyList<string> literals, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(literals);
        ArgumentNullException.ThrowIfNull(values);
        if (literals.Count != values.Count + 1)
        {
            throw new ArgumentException("A bound text has one more literal part than values.", nameof(literals));
        }

        Written = written;
        Literals = literals;
        Values = values;
    }

    /// <summary>The text as written in the YAML file.</summary>
    public string Written { get; }

    /// <summary>The text between the references: <c>Literals[i]</c> comes before <c>Values[i]</c>.</summary>
    public IReadOnlyList<string> Literals { get; }

    /// <summary>The value of each reference, typed as the variable is.</summary>
    public IReadOnlyList<object?> Values { get; }

    public override string ToString() => Written;
}
