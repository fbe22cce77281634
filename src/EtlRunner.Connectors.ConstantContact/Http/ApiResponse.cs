using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// A raw answer, read completely inside one attempt (so a cut body is retried like any transport fault), and never
/// larger than <c>max_response_bytes</c>.
/// </summary>
internal sealed record ApiResponse(HttpStatusCode StatusCode, byte[] Body, TimeSpan? RetryAfter)
{
    /// <summary>The absolute address the answer came from (after redirects within the API's host).</summary>
    public required Uri Address { get; init; }

    /// <summary>The Location of a 3xx answer (whose body is not read).</summary>
    public Uri? RedirectTo { get; init; }

    public T ReadJson<T>(Func<JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(Body);
        return read(document.RootElement);
    }

    public T Deserialize<T>(JsonTypeInfo<T> type)
        where T : class =>
        JsonSerializer.Deserialize(Body, type)
        ?? throw new JsonException("the body is empty");
}
