using System.Text;
using System.Text.Json.Nodes;

namespace EtlRunner.Connectors.ConstantContact.Models.Requests;

/// <summary>The body of <c>POST /activities/contacts_json_import</c> (<c>ContactsJsonImport</c>).</summary>
internal sealed record ContactsJsonImport(IReadOnlyList<JsonObject> ImportData, IReadOnlyList<string> ListIds)
{
    /// <summary>At most this many contacts per import request.</summary>
    public const int MaxContacts = 40_000;

    /// <summary>The payload must stay under 4 MB (data past it is silently dropped); keep a margin for the envelope.</summary>
    public const int MaxPayloadBytes = 4_000_000 - 16_384;

    public byte[] ToUtf8Json()
    {
        var builder = new StringBuilder(ImportData.Count * 96);
        builder.Append("{\"import_data\":[");
        for (var i = 0; i < ImportData.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(ImportData[i].ToJsonString());
        }

        builder.Append("],\"list_ids\":");
        builder.Append(new JsonArray([.. ListIds.Select(id => JsonValue.Create(id))]).ToJsonString());
        builder.Append('}');
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}

/// <summary>The body of <c>POST /activities/contact_delete</c> (<c>ContactDelete</c>) by contact ids.</summary>
internal sealed record ContactDeleteRequest(IReadOnlyList<string> ContactIds)
{
    /// <summary>At most this many contact ids per request.</summary>
    public const int MaxContacts = 500;

    public string ToJson() =>
        new JsonObject { ["contact_ids"] = new JsonArray([.. ContactIds.Select(id => JsonValue.Create(id))]) }.ToJsonString();
}

/// <summary>The form of <c>POST token_url</c> with <c>grant_type=refresh_token</c>.</summary>
internal sealed record TokenRefreshRequest(string RefreshToken)
{
    public IEnumerable<KeyValuePair<string, string>> ToForm() =>
        [new("grant_type", "refresh_token"), new("refresh_token", RefreshToken)];
}
