using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtlRunner.Expressions;

namespace EtlRunner.Core.Tests.Expressions;

public sealed class SecretMaskerTests
{
    private const string Secret = "Sv4r\"quo\\te+pl us/é€-9f8e7d";

    private static SecretMasker MaskerOf(params string[] secrets)
    {
        var masker = new SecretMasker();
        foreach (var secret in secrets)
        {
            masker.Add(secret);
        }

        return masker;
    }

    public static TheoryData<string, string> Encodings() => new()
    {
        { "as typed", Secret },
        { "System.Text.Json default", JsonSerializer.Serialize(Secret) },
        { "System.Text.Json relaxed", JsonSerializer.Serialize(Secret, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) },
        { "lower-case \\u escapes", LowerHex(JsonSerializer.Serialize(Secret)) },
        { "URL-encoded", Uri.EscapeDataString(Secret) },
        { "form-encoded", new FormUrlEncodedContent([KeyValuePair.Create("refresh_token", Secret)]).ReadAsStringAsync().Result },
        { "WebUtility.UrlEncode", WebUtility.UrlEncode(Secret) },
        { "lower-case % escapes", LowerHex(Uri.EscapeDataString(Secret)) },
        { "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)) },
    };

    private static string LowerHex(string escaped) =>
        Regex.Replace(escaped, @"%[0-9A-F]{2}|\\u[0-9A-F]{4}", m => m.Value.ToLowerInvariant());

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Apply_SecretInAnyEncoding_MasksIt(string encoding, string form)
    {
        // Given
        var masker = MaskerOf(Secret);

        // When
        var masked = masker.Apply($"before {form} after");

        // Then
        Assert.True(masked is "before *** after" or "before \"***\" after" or "before refresh_token=*** after", $"{encoding}: {masked}");
    }

    [Theory]
    [InlineData("api-key-12")]
    [InlineData("api-key-123")]
    [InlineData("api-key-1234")]
    public void Apply_SecretInsideBasicAuthCredentials_LeavesAtMostTwoOfItsBytesAtEachEnd(string clientId)
    {
        // Given: client_id:client_secret as base64, the secret at each of the three byte alignments
        var masker = MaskerOf("client-secret-value-42");
        var header = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":client-secret-value-42"));

        // When
        var masked = masker.Apply(header);

        // Then: what is left is the encoding of the id, the colon and up to two bytes of the secret, then one group
        var visible = masked["Authorization: Basic ".Length..].Split("***");
        Assert.Equal(2, visible.Length);
        Assert.True(visible[0].Length <= (clientId.Length + 1 + 2 + 2) / 3 * 4 && visible[1].Length <= 4, masked);
    }

    [Fact]
    public void Apply_TextWithoutSecrets_ReturnsItUnchanged()
    {
        // Given
        var masker = MaskerOf(Secret, "another-secret");
        const string Text = "{\"email\":\"ada@example.com\",\"note\":\"quo\\\\te\"}";

        // When
        var masked = masker.Apply(Text);

        // Then
        Assert.Same(Text, masked);
    }

    [Fact]
    public void Apply_SecretContainingAnother_MasksTheLongerWhole()
    {
        // Given
        var masker = MaskerOf("abcdef", "xxabcdefyy");

        // When
        var masked = masker.Apply("1 xxabcdefyy 2 abcdef 3 xxabcdefyy");

        // Then
        Assert.Equal("1 *** 2 *** 3 ***", masked);
    }
}
