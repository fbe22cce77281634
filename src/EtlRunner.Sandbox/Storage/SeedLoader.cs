using System.Text.Json;
using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Contacts;
using EtlRunner.Sandbox.CustomFields;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Lists;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Storage;

/// <summary>
/// Loads a seed file: <c>{"lists":[ListInput + optional list_id], "custom_fields":[CustomFieldRequest + optional
/// custom_field_id], "contacts":[ContactPostRequest-like]}</c>. In contacts, <c>create_source</c> defaults to Account,
/// <c>list_memberships</c> may name lists, custom fields may be given by <c>name</c>, and <c>created_at</c>/<c>updated_at</c>
/// may be set. Any problem throws <see cref="InvalidDataException"/>, naming <c>origin</c> (e.g. <c>Seed file x.json</c>).
/// </summary>
internal static class SeedLoader
{
    public static void Load(SandboxState state, string json, string origin)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject
                ?? throw new InvalidDataException($"{origin} must hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{origin} is not valid JSON: {ex.Message}", ex);
        }

        state.Write(() =>
        {
            var now = state.Now;
            foreach (var (item, where) in Items(root, "lists", origin))
            {
                var input = Parse(where, r => ListInput.Parse(r), item);
                var list = new ListRecord { Id = Id(item, "list_id") ?? Guid.NewGuid(), CreatedAt = now, UpdatedAt = now };
                input.ApplyTo(list);
                state.AddList(list);
            }

            foreach (var (item, where) in Items(root, "custom_fields", origin))
            {
                var input = Parse(where, r => CustomFieldInput.Parse(r, isPut: false), item);
                var field = new CustomFieldRecord { Id = Id(item, "custom_field_id") ?? Guid.NewGuid(), CreatedAt = now, UpdatedAt = now };
                input.ApplyTo(field);
                state.AddField(field);
            }

            foreach (var (item, where) in Items(root, "contacts", origin))
            {
                AddContact(state, item, where, now);
            }

            return 0;
        });
    }

    private static void AddContact(SandboxState state, JsonObject item, string where, DateTimeOffset now)
    {
        item["create_source"] ??= "Account";
        var errors = new List<string>();
        if (item["list_memberships"] is JsonArray lists)
        {
            item["list_memberships"] = new JsonArray([.. lists.Select(n => (JsonNode?)ResolveList(state, n, errors))]);
        }

        foreach (var field in (item["custom_fields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (field["custom_field_id"] is null && field["name"]?.GetValue<string>() is { } name)
            {
                var found = state.Fields.FirstOrDefault(f => f.Name == name || f.Label == name);
                field["custom_field_id"] = found is null ? null : Ids.Format(found.Id);
                errors.AddRange(found is null ? [$"custom field '{name}' does not exist"] : []);
            }
        }

        var input = ContactInputParser.Parse(item, isPut: false, errors);
        ContactReferences.Check(state, input.Lists, input.CustomFields, errors);
        if (input.EmailAddress is { } email && state.ContactByEmail(email) is not null)
        {
            errors.Add($"email {email} is used twice");
        }

        Fail(where, errors);
        var contact = ContactWriter.Create(state, input, now);
        if (item["created_at"]?.GetValue<string>() is { } created && Timestamps.TryParse(created, out var c))
        {
            contact.CreatedAt = c;
            contact.UpdatedAt = c;
        }

        if (item["updated_at"]?.GetValue<string>() is { } updated && Timestamps.TryParse(updated, out var u))
        {
            contact.UpdatedAt = u;
        }
    }

    private static string? ResolveList(SandboxState state, JsonNode? node, List<string> errors)
    {
        var text = node?.GetValue<string>() ?? "";
        if (Ids.TryParse(text, out _))
        {
            return text;
        }

        var list = state.Lists.FirstOrDefault(l => l.Name == text);
        errors.AddRange(list is null ? [$"list '{text}' does not exist"] : []);
        return list is null ? null : Ids.Format(list.Id);
    }

    private static IEnumerable<(JsonObject Item, string Where)> Items(JsonObject root, string name, string origin)
    {
        if (root[name] is not JsonArray array)
        {
            yield break;
        }

        for (var i = 0; i < array.Count; i++)
        {
            yield return (array[i] as JsonObject ?? throw new InvalidDataException($"{origin}: {name}[{i}] is not an object."),
                $"{origin}: {name}[{i}]");
        }
    }

    private static T Parse<T>(string where, Func<FieldReader, T> parse, JsonObject item)
    {
        var errors = new List<string>();
        var result = parse(new FieldReader(item, "", errors));
        Fail(where, errors);
        return result;
    }

    private static Guid? Id(JsonObject item, string name) =>
        item[name]?.GetValue<string>() is { } s && Ids.TryParse(s, out var id) ? id : null;

    private static void Fail(string where, List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"{where}: {string.Join(" ", errors)}");
        }
    }
}
