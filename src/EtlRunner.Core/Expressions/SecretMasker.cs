namespace EtlRunner.Expressions;

/// <summary>Replaces every known secret value with <c>***</c> in text bound for output: logs, errors, plans, summaries, rejects.</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    private const int MinimumLength = 3;
    private readonly object _gate = new();
    private string[] _secrets = [];

    public static SecretMasker None { get; } = new();

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        lock (_gate)
        {
            if (!_secrets.Contains(secret, StringComparer.Ordinal))
            {
                // Longest first, so a secret that contains another is masked whole.
                _secrets = [.. _secrets.Append(secret).OrderByDescending(s => s.Length)];
            }
        }
    }

    public bool IsEmpty => _secrets.Length == 0;

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var secrets = _secrets;
        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
