using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// Lists, tags and custom fields by name in a contact a record writes: <c>list_memberships</c> and <c>taggings</c> may
/// hold names beside ids, and <c>custom_fields</c> may be a map of a custom field's label (or name, or id) to its
/// value. Names are resolved through <see cref="AccountNames"/> (read once per run); ids pass as they are, so a
/// record that only uses ids costs no request.
/// </summary>
internal static class ContactNameFields
{
    public const string ListMemberships = "list_memberships";
    public const string Taggings = "taggings";
    public const string CustomFields = "custom_fields";

    /// <summary>Replaces the names in <paramref name="fields"/> by ids; returns the reject reason and code of the first unknown name.</summary>
    public static async Task<FieldProblem?> ResolveAsync(JsonObject fields, AccountNames names, bool createMissing, RequestOptions options, CancellationToken cancellationToken)
    {
        foreach (var (field, kind) in new[] { (ListMemberships, NamedKind.List), (Taggings, NamedKind.Tag) })
        {
            if (fields[field] is not JsonArray items || items.All(i => IsId(Text(i))))
            {
                continue;
            }

            var resolved = new JsonArray();
            foreach (var item in items)
            {
                var text = Text(item) ?? string.Empty;
                var (id, problem) = IsId(text) ? (text, null) : await names.ResolveAsync(kind, text, createMissing, options, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    return new FieldProblem($"{field}: {problem}", Code(kind));
                }

                resolved.Add((JsonNode?)JsonValue.Create(id));
            }

            fields[field] = resolved;
        }

        if (fields[CustomFields] is JsonObject map)
        {
            var values = new JsonArray();
            foreach (var (name, value) in map)
            {
                var (id, problem) = IsId(name) ? (name, null) : await names.ResolveAsync(NamedKind.CustomField, name, createMissing, options, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    return new FieldProblem($"{CustomFields}: {problem}", Code(NamedKind.CustomField));
                }

                values.Add((JsonNode)new JsonObject { ["custom_field_id"] = id, ["value"] = Text(value) ?? value?.ToJsonString() ?? string.Empty });
            }

            fields[CustomFields] = values;
        }

        return null;
    }

    /// <summary>
    /// Rewrites each <c>cf:&lt;name&gt;</c> key of a bulk import row to the custom field's API name (the import only
    /// accepts an existing field's name); a key may name a field by label or name, case-insensitively. Returns the
    /// problem of the first unknown field.
    /// </summary>
    public static async Task<FieldProblem?> ResolveImportKeysAsync(JsonObject row, AccountNames names, bool createMissing, RequestOptions options, CancellationToken cancellationToken)
    {
        foreach (var key in row.Select(p => p.Key).Where(k => k.StartsWith(ImportFields.CustomFieldPrefix, StringComparison.Ordinal)).ToList())
        {
            var (field, problem) = await names.FindAsync(NamedKind.CustomField, key[ImportFields.CustomFieldPrefix.Length..], createMissing, options, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new FieldProblem($"{key}: {problem}", Code(NamedKind.CustomField));
            }

            var resolved = ImportFields.CustomFieldPrefix + field!.ApiName;
            if (resolved != key)
            {
                var value = row[key];
                row.Remove(key);
                row[resolved] = value;
            }
        }

        return null;
    }

    public static string Code(NamedKind kind) => "unknown_" + kind.Noun().Replace(' ', '_');

    private static bool IsId(string? text) => Guid.TryParse(text, out _);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim()
        : node is JsonValue other ? other.ToJsonString()
        : null;
}
