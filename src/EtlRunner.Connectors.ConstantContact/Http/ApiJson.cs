using System.Text.Json;
using System.Text.Json.Serialization;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// The typed API models' JSON, snake_case as the API writes it, generated at compile time: no reflection, so it holds
/// in the ahead-of-time compiled tool. Every other body is read as a <see cref="JsonDocument"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ActivityStatus))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
internal sealed partial class ApiJson : JsonSerializerContext;
