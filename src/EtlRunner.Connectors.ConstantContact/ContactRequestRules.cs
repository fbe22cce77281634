using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The documented rules of a <c>ContactPostRequest</c> / <c>ContactPutRequest</c> body (swagger.yaml, API-NOTES section 3):
/// lengths, counts, allowed values, the email's form. The real write learns of a broken rule from a 400; a dry run
/// predicts it from here, in the API's wording (one message per problem, as the API lists them).
/// </summary>
internal static partial class ContactRequestRules
{
    private const int NameMax = 50;
    private const int EmailMax = 80;

    private static readonly string[] Permissions = ["explicit", "implicit", "not_set", "pending_confirmation", "temp_hold", "unsubscribed"];
    private static readonly string[] PhoneKinds = ["home", "work", "mobile", "other"];
    private static readonly string[] AddressKinds = ["home", "work", "other"];

    /// <summary>What the API would refuse in <paramref name="body"/>; empty when it would take it.</summary>
    public static List<string> Check(JsonObject body, bool isPut)
    {
        var errors = new List<string>();
        foreach (var name in (string[])["first_name", "last_name", "job_title", "company_name"])
        {
            Text(body, name, NameMax, errors);
        }

        var month = Integer(body, "birthday_month", 12, errors);
        var day = Integer(body, "birthday_day", 31, errors);
        if (month is null != day is null)
        {
            errors.Add("birthday_month and birthday_day must be given together.");
        }
        else if (month is { } m && day is { } d && d > DateTime.DaysInMonth(2000, m))
        {
            errors.Add($"birthday_day {d} does not exist in month {m}.");
        }

        if (Text(body, "anniversary", 10, errors) is { } anniversary && !Anniversary().IsMatch(anniversary))
        {
            errors.Add($"anniversary '{anniversary}' is not a valid date; use MM/DD/YYYY, YYYY/MM/DD, YYYY-MM-DD or M-D-YYYY.");
        }

        if (body["email_address"] is JsonObject email)
        {
            if (Text(email, "address", EmailMax, errors, "email_address.") is not { } address || string.IsNullOrWhiteSpace(address))
            {
                if (!errors.Exists(e => e.StartsWith("email_address.address", StringComparison.Ordinal)))
                {
                    errors.Add("email_address.address is required.");
                }
            }
            else if (!IsPlausibleEmail(address.Trim()))
            {
                errors.Add($"email_address.address '{address.Trim()}' is not a valid email address.");
            }

            OneOf(email, "permission_to_send", Permissions, errors, "email_address.");
            Text(email, "opt_out_reason", 255, errors, "email_address.");
        }

        Items(body, "custom_fields", 25, errors, (item, path) =>
        {
            Uuid(item, "custom_field_id", errors, path);
            Text(item, "value", 255, errors, path);
        });
        Items(body, "phone_numbers", 3, errors, (item, path) =>
        {
            Required(item, "phone_number", 25, errors, path);
            OneOf(item, "kind", PhoneKinds, errors, path);
        });
        Items(body, "street_addresses", 3, errors, (item, path) =>
        {
            if (Required(item, "kind", int.MaxValue, errors, path) is not null)
            {
                OneOf(item, "kind", AddressKinds, errors, path);
            }

            Text(item, "street", 255, errors, path);
            foreach (var part in (string[])["city", "state", "postal_code", "country"])
            {
                Text(item, part, NameMax, errors, path);
            }
        });
        Ids(body, "list_memberships", 50, errors);
        Ids(body, "taggings", 50, errors);

        if (!isPut && errors.Count == 0 && !(body.ContainsKey("first_name") || body.ContainsKey("last_name") || body.ContainsKey("email_address") || body.ContainsKey("sms_channel")))
        {
            errors.Add("At least one of first_name, last_name, email_address or sms_channel is required.");
        }

        return errors;
    }

    /// <summary>The list ids and custom field ids of a body (after names are resolved), to check that the account has them.</summary>
    public static IEnumerable<(NamedKind Kind, string Id)> References(JsonObject body) =>
        (body["list_memberships"] as JsonArray ?? []).Select(n => (NamedKind.List, Scalar(n)))
            .Concat((body["custom_fields"] as JsonArray ?? []).Select(n => (NamedKind.CustomField, Scalar(n?["custom_field_id"]))))
            .Where(r => r.Item2 is not null && Guid.TryParse(r.Item2, out _))
            .Select(r => (r.Item1, r.Item2!));

    /// <summary>The API's message for a list or custom field id the account does not have.</summary>
    public static string Unknown(NamedKind kind, string id) => kind == NamedKind.List
        ? $"list_memberships: list_id {id.ToLowerInvariant()} does not exist."
        : $"custom_fields: custom_field_id {id.ToLowerInvariant()} does not exist.";

    public static bool IsPlausibleEmail(string address) => address.Length <= EmailMax && EmailPattern().IsMatch(address);

    private static string? Text(JsonObject obj, string name, int max, List<string> errors, string path = "")
    {
        if (obj[name] is not { } node)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            errors.Add($"{path}{name} must be a string.");
            return null;
        }

        var text = value.GetValue<string>();
        if (text.Length > max)
        {
            errors.Add($"{path}{name} exceeds the maximum length of {max} characters.");
            return null;
        }

        return text;
    }

    private static string? Required(JsonObject obj, string name, int max, List<string> errors, string path)
    {
        var text = Text(obj, name, max, errors, path);
        if (obj[name] is null || (text is not null && string.IsNullOrWhiteSpace(text)))
        {
            errors.Add($"{path}{name} is required.");
            return null;
        }

        return text;
    }

    private static void OneOf(JsonObject obj, string name, string[] allowed, List<string> errors, string path)
    {
        if (Text(obj, name, int.MaxValue, errors, path) is { Length: > 0 } text && !allowed.Contains(text))
        {
            errors.Add($"{path}{name} must be one of: {string.Join(", ", allowed)}.");
        }
    }

    private static int? Integer(JsonObject obj, string name, int max, List<string> errors)
    {
        if (obj[name] is not { } node)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number
            || !int.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add($"{name} must be an integer.");
            return null;
        }

        if (number < 1 || number > max)
        {
            errors.Add($"{name} must be between 1 and {max}.");
            return null;
        }

        return number;
    }

    private static void Items(JsonObject obj, string name, int max, List<string> errors, Action<JsonObject, string> item)
    {
        if (Array(obj, name, max, errors) is not { } items)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{name}[{i}].");
            if (items[i] is JsonObject one)
            {
                item(one, path);
            }
            else
            {
                errors.Add($"{path[..^1]} must be an object.");
            }
        }
    }

    private static void Ids(JsonObject obj, string name, int max, List<string> errors)
    {
        var items = Array(obj, name, max, errors) ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            if (!Guid.TryParse(Scalar(items[i]), out _))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name}[{i}] must be a UUID string."));
            }
        }
    }

    private static void Uuid(JsonObject obj, string name, List<string> errors, string path)
    {
        if (Required(obj, name, int.MaxValue, errors, path) is { } text && !Guid.TryParse(text, out _))
        {
            errors.Add($"{path}{name} must be a UUID.");
        }
    }

    private static JsonArray? Array(JsonObject obj, string name, int max, List<string> errors)
    {
        if (obj[name] is not { } node)
        {
            return null;
        }

        if (node is not JsonArray items)
        {
            errors.Add($"{name} must be an array.");
            return null;
        }

        if (items.Count > max)
        {
            errors.Add($"{name} can contain at most {max} items.");
            return null;
        }

        return items;
    }

    private static string? Scalar(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"^(\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{4}[/-]\d{1,2}[/-]\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Anniversary();

    // The form the API accepts: a dot-atom local part, a domain of labels and a top-level domain of two letters or more.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
