using System.Text.Json;

namespace EtlRunner.Connectors.ConstantContact.Models.Responses;

/// <summary>
/// A contact as the API returned it (<c>ContactResource</c>). The few fields the connector reasons about are typed;
/// <see cref="Json"/> keeps the whole resource, so records carry every field the API sent.
/// </summary>
internal sealed record ContactResource(string ContactId, string? EmailAddress, bool IsDeleted, JsonElement Json)
{
    public static ContactResource From(JsonElement json)
    {
        var id = json.GetProperty("contact_id").GetString()
            ?? throw new JsonException("a contact has no contact_id");
        string? email = null;
        if (json.TryGetProperty("email_address", out var address)
            && address.ValueKind == JsonValueKind.Object
            && address.TryGetProperty("address", out var value)
            && value.ValueKind == JsonValueKind.String)
        {
            email = value.GetString();
        }

        var deleted = json.TryGetProperty("deleted_at", out var deletedAt) && deletedAt.ValueKind == JsonValueKind.String;
        return new ContactResource(id, email, deleted, json.Clone());
    }
}
