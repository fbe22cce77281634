using System.Net;
using System.Text.Json;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>A raw answer, read completely inside one attempt (so a cut body is retried like any transport fault).</summary>
internal sealed record ApiResponse(HttpStatusCode StatusCode, byte[] Body, TimeSpan? RetryAfter)
{
    public T ReadJson<T>(Func<JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(Body);
        return read(document.RootElement);
    }

    public T Deserialize<T>()
        where T : class =>
        JsonSerializer.Deserialize<T>(Body, ApiJson.Options)
        ?? throw new JsonException("the body is empty");
}
