using System.Net.Http.Headers;
using System.Text;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>One API call to make: method, relative URI, JSON body, and whether sending it twice is harmless.</summary>
internal sealed record ApiRequest(HttpMethod Method, Uri Uri, string Route, bool IsIdempotent, byte[]? Body = null)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static ApiRequest Get(Uri uri, string route) => new(HttpMethod.Get, uri, route, IsIdempotent: true);

    public static ApiRequest Delete(Uri uri, string route) => new(HttpMethod.Delete, uri, route, IsIdempotent: true);

    public static ApiRequest Put(Uri uri, string route, string json) => new(HttpMethod.Put, uri, route, IsIdempotent: true, Encoding.UTF8.GetBytes(json));

    /// <summary>A POST; <paramref name="isIdempotent"/> says whether a second copy would be harmless (a bulk import is an upsert).</summary>
    public static ApiRequest Post(Uri uri, string route, byte[] json, bool isIdempotent) => new(HttpMethod.Post, uri, route, isIdempotent, json);

    public HttpContent? CreateContent()
    {
        if (Body is null)
        {
            return null;
        }

        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = Json;
        return content;
    }
}
