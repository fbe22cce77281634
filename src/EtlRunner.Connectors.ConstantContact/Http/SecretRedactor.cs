using System.Collections.Concurrent;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>Masks every secret the connection knows (api_key, tokens, client_secret, rotated tokens) in text that could reach a user.</summary>
internal sealed class SecretRedactor
{
    private const int ShortestSecret = 6;
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    public void Add(string? secret)
    {
        if (secret is { Length: >= ShortestSecret })
        {
            _secrets.TryAdd(secret, 0);
        }
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets.Keys)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
