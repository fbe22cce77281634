using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace EtlRunner.Sandbox.Http;

/// <summary>Reads a JSON request body the way the API does: 415 unless application/json, 400 when malformed.</summary>
internal static class RequestBody
{
    public const int DefaultMaxBytes = 16 * 1024 * 1024;

    public static async Task<(JsonObject? Body, ApiResponse? Error)> ReadObjectAsync(
        HttpContext context, int maxBytes = DefaultMaxBytes, string? tooLargeMessage = null)
    {
        if (!IsJson(context.Request.ContentType))
        {
            return (null, ApiResponse.Error(StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType,
                "Unsupported Media Type; the payload must be in JSON format, and Content-Type must be application/json."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return (null, ApiResponse.Validation(tooLargeMessage ?? $"The request body exceeds {maxBytes} bytes."));
            }
        }

        if (buffer.Length == 0)
        {
            return (null, Malformed("The request body is empty."));
        }

        try
        {
            var node = JsonNode.Parse(buffer.ToArray());
            if (node is not JsonObject obj)
            {
                return (null, ApiResponse.Validation("The request body must be a JSON object."));
            }

            _ = obj.Count;
            return (obj, null);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return (null, Malformed(ex.Message));
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static ApiResponse Malformed(string detail) =>
        ApiResponse.Error(StatusCodes.Status400BadRequest, ApiErrors.BadRequest, $"Malformed JSON request body: {detail}");
}
