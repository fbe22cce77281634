using System.Text.Encodings.Web;
using System.Text.Json;
using EtlRunner.Expressions;
using EtlRunner.Scheduling;

namespace EtlRunner.Cli.Agent;

/// <summary><c>GET /status.json</c> and <c>etl status --output json</c>: the <see cref="AgentStatus"/> in snake_case, times in ISO 8601 with their offsets, secrets masked.</summary>
internal static class StatusJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(AgentStatus status, SecretMasker masker) => masker.Apply(JsonSerializer.Serialize(status, Options));
}
