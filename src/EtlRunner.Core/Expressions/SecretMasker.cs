using System.Buffers;
using System.Text;

namespace EtlRunner.Expressions;

/// <summary>
/// Replaces every known secret with <c>***</c> in text bound for output: logs, errors, plans, summaries, rejects. A
/// secret is masked in every form it can take there (see <see cref="SecretForms"/>): as typed, JSON-escaped,
/// URL- and form-encoded, base64. The forms are derived once, when the secret is added; <see cref="Apply"/> then
/// finds all of them in one vectorized pass, so calling it per line stays cheap.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    private const int MinimumLength = 3;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private volatile Table? _table; // replaced whole under _gate, read without it

    public static SecretMasker None { get; } = new();

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        lock (_gate)
        {
            if (!_secrets.Add(secret))
            {
                return;
            }

            var forms = (_table?.Forms ?? []).Concat(SecretForms.Of(secret).Where(f => f.Length >= MinimumLength)).Distinct(StringComparer.Ordinal);
            _table = new Table([.. forms.OrderByDescending(f => f.Length)]);
        }
    }

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var table = _table;
        var span = text.AsSpan();
        var next = table is null ? -1 : span.IndexOfAny(table.Search);
        if (next < 0)
        {
            return text;
        }

        var masked = new StringBuilder(text.Length);
        var position = 0;
        while (next >= 0)
        {
            // IndexOfAny finds the leftmost start of any form; the longest form starting there is masked whole.
            var start = position + next;
            masked.Append(span[position..start]).Append(Mask);
            position = start + table!.LongestAt(span[start..]);
            next = span[position..].IndexOfAny(table.Search);
        }

        return masked.Append(span[position..]).ToString();
    }

    private sealed class Table(string[] forms)
    {
        public string[] Forms { get; } = forms; // longest first

        public SearchValues<string> Search { get; } = SearchValues.Create(forms, StringComparison.Ordinal);

        public int LongestAt(ReadOnlySpan<char> text)
        {
            foreach (var form in Forms)
            {
                if (text.StartsWith(form, StringComparison.Ordinal))
                {
                    return form.Length;
                }
            }

            throw new InvalidOperationException("SearchValues matched no form"); // cannot happen: both hold the same forms
        }
    }
}
