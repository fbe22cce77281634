using System.Text.Json;
using System.Text.Json.Serialization;
using EtlRunner.Expressions;
using EtlRunner.Scheduling;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// <c>GET /status.json</c> and <c>etl status --output json</c>: the <see cref="AgentStatus"/> in snake_case, times in ISO
/// 8601 with their offsets, secrets masked. Generated at compile time (no reflection: it holds in the ahead-of-time
/// compiled tool).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(AgentStatus))]
[JsonSerializable(typeof(StatusBoardFile.Board))]
internal sealed partial class StatusJson : JsonSerializerContext
{
    /// <summary>The options above (which <see cref="Default"/> has too), with <c>+</c>, <c>&lt;</c> and non-ASCII letters written as they are.</summary>
    public static StatusJson Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Write(AgentStatus status, SecretMasker masker) => masker.Apply(JsonSerializer.Serialize(status, Relaxed.AgentStatus));
}
