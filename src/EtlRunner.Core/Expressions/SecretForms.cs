using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EtlRunner.Expressions;

/// <summary>
/// The forms a secret takes in text we write or receive: as typed; JSON-escaped the way System.Text.Json writes it
/// by default (<c>+</c> as <c>\u002B</c>, non-ASCII as <c>\uXXXX</c>) and relaxed (<c>\"</c>, <c>\\</c>); URL- and
/// form-encoded (<c>%2B</c>, a space as <c>%20</c> or <c>+</c>), with upper- and lower-case hex; and base64.
/// </summary>
internal static class SecretForms
{
    /// <summary>A base64 run shorter than this is too likely to occur by chance to be masked.</summary>
    private const int ShortestBase64 = 8;

    public static IEnumerable<string> Of(string secret)
    {
        var escaped = new[]
        {
            JsonEncodedText.Encode(secret, JavaScriptEncoder.Default).Value,
            JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value,
            Uri.EscapeDataString(secret),
            Uri.EscapeDataString(secret).Replace("%20", "+", StringComparison.Ordinal), // application/x-www-form-urlencoded
            WebUtility.UrlEncode(secret),
        };
        return [secret, .. escaped, .. escaped.Select(LowerHex), .. Base64(Encoding.UTF8.GetBytes(secret))];
    }

    /// <summary>
    /// Base64 of the secret alone, and the part of its encoding that is the same wherever it sits in a longer value
    /// (<c>client_id:client_secret</c> in HTTP Basic auth): for each of the three byte alignments, the 4-character
    /// groups made only of the secret's bytes. At most two bytes at each end stay visible in a longer value.
    /// </summary>
    private static IEnumerable<string> Base64(byte[] bytes)
    {
        yield return Convert.ToBase64String(bytes);
        for (var skip = 0; skip < 3 && skip < bytes.Length; skip++)
        {
            var whole = (bytes.Length - skip) / 3 * 3;
            var aligned = Convert.ToBase64String(bytes, skip, whole);
            if (aligned.Length >= ShortestBase64)
            {
                yield return aligned;
                yield return aligned.Replace('+', '-').Replace('/', '_'); // base64url
            }
        }
    }

    /// <summary>The same escapes with lower-case hex digits (<c>%2b</c>, <c>\u002b</c>), as other encoders write them.</summary>
    private static string LowerHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var (from, digits) = chars[i] switch
            {
                '%' => (i + 1, 2),
                '\\' when i + 1 < chars.Length && chars[i + 1] == 'u' => (i + 2, 4),
                '\\' => (i + 2, 0), // \" or \\: the escaped character is not a digit
                _ => (i + 1, 0),
            };
            for (var j = from; j < from + digits && j < chars.Length; j++)
            {
                chars[j] = char.ToLowerInvariant(chars[j]);
            }

            i = from + digits - 1;
        }

        return new string(chars);
    }
}
