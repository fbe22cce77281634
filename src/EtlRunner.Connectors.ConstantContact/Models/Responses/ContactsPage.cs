using System.Text.Json;

namespace EtlRunner.Connectors.ConstantContact.Models.Responses;

/// <summary>
/// One page of <c>GET /contacts</c> (<c>Contacts</c>): where it was read, the contacts, the total when asked, and the
/// next link resolved against the page's address.
/// </summary>
internal sealed record ContactsPage(Uri Address, IReadOnlyList<ContactResource> Contacts, long? ContactsCount, Uri? Next)
{
    /// <summary>A 202 to a segment search: the API is still working out the segment's members; ask again later.</summary>
    public bool Processing { get; init; }

    public static ContactsPage From(JsonElement json, Uri address)
    {
        var contacts = new List<ContactResource>();
        if (json.TryGetProperty("contacts", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                contacts.Add(ContactResource.From(item));
            }
        }
        else
        {
            throw new JsonException("the body has no contacts array");
        }

        long? count = json.TryGetProperty("contacts_count", out var total) && total.ValueKind == JsonValueKind.Number
            ? total.GetInt64()
            : null;
        string? next = null;
        if (json.TryGetProperty("_links", out var links)
            && links.ValueKind == JsonValueKind.Object
            && links.TryGetProperty("next", out var nextLink)
            && nextLink.ValueKind == JsonValueKind.Object
            && nextLink.TryGetProperty("href", out var href)
            && href.ValueKind == JsonValueKind.String)
        {
            next = href.GetString();
        }

        return new ContactsPage(address, contacts, count, string.IsNullOrWhiteSpace(next) ? null : new Uri(address, next));
    }
}
