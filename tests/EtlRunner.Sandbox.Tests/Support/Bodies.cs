using System.Text.Json.Nodes;

namespace EtlRunner.Sandbox.Tests.Support;

/// <summary>Request bodies the tests send.</summary>
internal static class Bodies
{
    public static JsonObject Contact(string email, string? first = null) => new()
    {
        ["email_address"] = new JsonObject { ["address"] = email, ["permission_to_send"] = "implicit" },
        ["first_name"] = first ?? "Ann",
        ["last_name"] = "Lee",
        ["create_source"] = "Account",
    };

    public static JsonArray Array(params string[] values) => new([.. values.Select(v => (JsonNode)v)]);

    public static JsonArray Array(IEnumerable<JsonObject> values) => new([.. values]);
}
