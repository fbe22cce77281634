using System.Text.Json;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>JSON options for typed API models: snake_case names, as the API writes them.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
