using System.Text;

namespace EtlRunner.Expressions;

/// <summary>A <c>[name]</c> or <c>[name{fallback}]</c> reference inside a field, with its offset in the text.</summary>
public sealed record VariableReference(string Name, string? Fallback, int Offset, int Length);

/// <summary>
/// A field's text split into literal parts and <c>[variable]</c> references. <c>[[</c> is a literal <c>[</c>;
/// a <c>[</c> that does not start a well-formed reference stays literal. Names: letters, digits, <c>_</c> and
/// <c>.</c>, starting with a letter or <c>_</c>.
/// </summary>
public sealed class VariableTemplate
{
    private readonly IReadOnlyList<object> _parts; // string literal or VariableReference

    private VariableTemplate(string text, IReadOnlyList<object> parts)
    {
        Text = text;
        _parts = parts;
        References = [.. parts.OfType<VariableReference>()];
    }

    public string Text { get; }

    public IReadOnlyList<VariableReference> References { get; }

    /// <summary>The literal text around the references (<c>[[</c> already read as <c>[</c>): one more part than references.</summary>
    public IReadOnlyList<string> Literals()
    {
        var literals = new List<string> { string.Empty };
        foreach (var part in _parts)
        {
            if (part is string literal)
            {
                literals[^1] += literal;
            }
            else
            {
                literals.Add(string.Empty);
            }
        }

        return literals;
    }

    /// <summary>The text is exactly one reference, so it resolves to the variable's value unchanged.</summary>
    public bool IsSingleReference => _parts is [VariableReference];

    public static VariableTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<object>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '[')
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '[')
            {
                literal.Append('[');
                i += 2;
                continue;
            }

            if (TryReadReference(text, i, out var reference))
            {
                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }

                parts.Add(reference);
                i += reference.Length;
                continue;
            }

            literal.Append(c);
            i++;
        }

        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }

        return new VariableTemplate(text, parts);
    }

    /// <summary>Builds the text, asking <paramref name="resolve"/> for each reference's value.</summary>
    public string Render(Func<VariableReference, string> resolve)
    {
        if (_parts is [string only])
        {
            return only;
        }

        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            builder.Append(part is VariableReference reference ? resolve(reference) : (string)part);
        }

        return builder.ToString();
    }

    public static bool IsValidName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(IsNameChar);

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.';

    private static bool TryReadReference(string text, int start, out VariableReference reference)
    {
        reference = null!;
        var i = start + 1;
        if (i >= text.Length || !(char.IsLetter(text[i]) || text[i] == '_'))
        {
            return false;
        }

        while (i < text.Length && IsNameChar(text[i]))
        {
            i++;
        }

        var name = text[(start + 1)..i];
        string? fallback = null;
        if (i < text.Length && text[i] == '{')
        {
            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                return false;
            }

            fallback = text[(i + 1)..close];
            i = close + 1;
        }

        if (i >= text.Length || text[i] != ']' || name.EndsWith('.'))
        {
            return false;
        }

        reference = new VariableReference(name, fallback, start, i + 1 - start);
        return true;
    }
}
