using System.Text.Json;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact.Models.Responses;

/// <summary>A list, tag or custom field: its id, the name records use for it (a custom field's label, else its name), and the resource as read.</summary>
internal sealed record NamedResource(string Id, string Name, JsonElement Json)
{
    public static NamedResource From(NamedKind kind, JsonElement item)
    {
        var id = item.TryGetProperty(kind.Json().Id, out var idNode) && idNode.ValueKind == JsonValueKind.String ? idNode.GetString() : null;
        var name = (kind == NamedKind.CustomField ? Text(item, "label") : null) ?? Text(item, "name");
        return id is null || name is null
            ? throw new JsonException($"a {kind.Noun()} without {kind.Json().Id} or name")
            : new NamedResource(id, name, item.Clone());
    }

    /// <summary>The API's own name (a custom field's <c>name</c>, which <c>cf:&lt;name&gt;</c> import keys use), else <see cref="Name"/>.</summary>
    public string ApiName => Text(Json, "name") ?? Name;

    /// <summary>Whether records may call it <paramref name="text"/>: its name (a custom field's label), or a custom field's name; case-insensitive.</summary>
    public bool IsNamed(string text) =>
        string.Equals(Name, text, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ApiName, text, StringComparison.OrdinalIgnoreCase);

    private static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var node) && node.ValueKind == JsonValueKind.String && node.GetString() is { Length: > 0 } text ? text : null;
}

/// <summary>One page of <c>GET /contact_lists</c>, <c>/contact_tags</c> or <c>/contact_custom_fields</c>, with the next link resolved.</summary>
internal sealed record NamedPage(IReadOnlyList<NamedResource> Items, Uri? Next)
{
    public static NamedPage From(NamedKind kind, JsonElement json, Uri address)
    {
        if (!json.TryGetProperty(kind.Json().Items, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"the body has no {kind.Json().Items} array");
        }

        var next = json.TryGetProperty("_links", out var links) && links.ValueKind == JsonValueKind.Object
            && links.TryGetProperty("next", out var link) && link.ValueKind == JsonValueKind.Object
            && link.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String
            && href.GetString() is { Length: > 0 } text
                ? new Uri(address, text)
                : null;
        return new NamedPage([.. items.EnumerateArray().Select(i => NamedResource.From(kind, i))], next);
    }
}
