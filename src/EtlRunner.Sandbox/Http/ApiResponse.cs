using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Http;

/// <summary>What a handler answers: a status, an optional JSON body and an optional Location header.</summary>
internal sealed record ApiResponse(int Status, JsonNode? Body, string? Location = null)
{
    public static ApiResponse NoContent { get; } = new(StatusCodes.Status204NoContent, null);

    public static ApiResponse Json(int status, JsonNode body) => new(status, body);

    public static ApiResponse Ok(JsonNode body) => new(StatusCodes.Status200OK, body);

    /// <summary>The API's application error body: an array of <c>{error_key, error_message}</c>.</summary>
    public static ApiResponse Error(int status, string key, IEnumerable<string> messages) =>
        new(status, new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
        {
            ["error_key"] = key,
            ["error_message"] = m,
        })]));

    public static ApiResponse Error(int status, string key, string message) => Error(status, key, [message]);

    public static ApiResponse Validation(IEnumerable<string> messages) =>
        Error(StatusCodes.Status400BadRequest, ApiErrors.Validation, messages);

    public static ApiResponse Validation(string message) => Validation([message]);

    public static ApiResponse NotFound(string message) =>
        Error(StatusCodes.Status404NotFound, ApiErrors.NotFound, message);

    public static ApiResponse Conflict(string message) =>
        Error(StatusCodes.Status409Conflict, ApiErrors.Conflict, message);

    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        if (Location is not null)
        {
            context.Response.Headers.Location = Location;
        }

        if (Body is null)
        {
            return Task.CompletedTask;
        }

        return WriteJsonAsync(context, Body.ToJsonString(ApiJson.Options));
    }

    public static async Task WriteJsonAsync(HttpContext context, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}

internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
