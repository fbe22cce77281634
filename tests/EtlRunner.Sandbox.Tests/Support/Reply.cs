using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace EtlRunner.Sandbox.Tests.Support;

/// <summary>A response as the tests see it: status, raw body text, headers.</summary>
internal sealed record Reply(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public int Code => (int)Status;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Empty JSON body.");

    public JsonObject Object => Json.AsObject();

    /// <summary>The error_message strings of an API array error body.</summary>
    public IReadOnlyList<string> ErrorMessages => [.. Json.AsArray().Select(e => e!["error_message"]!.GetValue<string>())];

    public string ErrorKey => Json.AsArray()[0]!["error_key"]!.GetValue<string>();

    public override string ToString() => $"{Code} {Body}";
}
