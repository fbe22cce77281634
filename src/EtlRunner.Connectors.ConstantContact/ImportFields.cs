using System.Globalization;
using System.Text.Json.Nodes;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// Maps a record to a flat <c>JsonImportContact</c> (email, first_name, phone, home_street, cf:&lt;name&gt;, ...).
/// Records may already be flat, or use the API's nested names (email_address, phone_numbers, street_addresses).
/// </summary>
internal static class ImportFields
{
    /// <summary>The key prefix of a custom field in an import row: <c>cf:&lt;custom field name&gt;</c>.</summary>
    public const string CustomFieldPrefix = "cf:";

    private static readonly HashSet<string> Flat =
    [
        "email", "first_name", "last_name", "job_title", "company_name", "birthday_month", "birthday_day", "anniversary",
        "phone", "home_phone", "work_phone", "mobile_phone", "other_phone",
        "street", "street2", "city", "state", "zip", "country",
        "home_street", "home_street2", "home_city", "home_state", "home_zip", "home_country", "home country",
        "work_street", "work_street2", "work_city", "work_state", "work_zip", "work_country",
        "other_street", "other_street2", "other_city", "other_state", "other_zip", "other_country",
        "sms_number", "sms_consent_date",
    ];

    private static readonly Dictionary<string, string> NotImportable = new(StringComparer.Ordinal)
    {
        ["custom_fields"] = "custom_fields (by id) cannot be imported: name each custom field as a cf:<custom field name> key",
        ["list_memberships"] = "list_memberships cannot be set per contact in bulk mode: every imported contact joins the activity's list_ids",
        ["taggings"] = "taggings cannot be imported in bulk mode",
        ["notes"] = "notes cannot be imported in bulk mode",
        ["sms_channel"] = "sms_channel cannot be imported in bulk mode: use sms_number and sms_consent_date",
    };

    private static readonly (string From, string To)[] AddressKeys =
        [("street", "street"), ("city", "city"), ("state", "state"), ("postal_code", "zip"), ("country", "country")];

    private static readonly HashSet<string> Ignored = [ConstantContactParameters.CreateSource, ConstantContactParameters.UpdateSource];

    public static (JsonObject? Row, string? Email, string? Error) From(Record record, bool acceptContactId)
    {
        var row = new JsonObject();
        var problems = new List<string>();
        var unknown = new List<string>();
        foreach (var (name, value) in record)
        {
            if (value is null || Ignored.Contains(name) || (acceptContactId && name == ContactFields.ContactId))
            {
                continue;
            }

            if (NotImportable.TryGetValue(name, out var why))
            {
                problems.Add(why);
            }
            else if (Flat.Contains(name) || name.StartsWith(CustomFieldPrefix, StringComparison.Ordinal))
            {
                if (RecordJson.ScalarText(value) is { } text)
                {
                    row[name] = name is "birthday_month" or "birthday_day" && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                        ? JsonValue.Create(number)
                        : JsonValue.Create(text);
                }
                else
                {
                    problems.Add($"{name} must be a single value in bulk mode");
                }
            }
            else if (name == ContactFields.EmailAddress)
            {
                var (_, email) = ContactFields.Identify(new Dictionary<string, object?> { [name] = value });
                if (email is not null)
                {
                    row["email"] = email;
                }
            }
            else if (name == "phone_numbers" && value is IEnumerable<object?> phones)
            {
                AddPhones(row, phones, problems);
            }
            else if (name == "street_addresses" && value is IEnumerable<object?> addresses)
            {
                AddAddresses(row, addresses, problems);
            }
            else
            {
                unknown.Add(name);
            }
        }

        if (unknown.Count > 0)
        {
            problems.Insert(0, $"unknown field{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown)} for a bulk import: use email, first_name, last_name, job_title, company_name, birthday_month, birthday_day, anniversary, phone, home_phone, work_phone, mobile_phone, other_phone, street, city, state, zip, country (or home_/work_/other_ forms), sms_number, cf:<custom field name>, or the nested email_address, phone_numbers and street_addresses");
        }

        var address = row["email"]?.GetValue<string>();
        if (problems.Count == 0 && address is null && row["sms_number"] is null)
        {
            problems.Add("the record has no email (nor sms_number): a bulk import matches and creates contacts by email");
        }

        return problems.Count > 0 ? (null, address, string.Join("; ", problems)) : (row, address, null);
    }

    /// <summary>
    /// What the import activity would report for a row by the documented limits of a <c>JsonImportContact</c> (email
    /// ≤ 50 and well formed, names ≤ 50, phones ≤ 50 and at most 3, custom field values ≤ 255, a birthday's month and
    /// day together), in the activity's wording; empty when it would take the row. A dry run's prediction.
    /// </summary>
    public static List<string> Refusals(JsonObject row)
    {
        var fatal = new List<string>();
        var correctable = new List<string>();
        var texts = row.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValueKind() == System.Text.Json.JsonValueKind.String ? p.Value.GetValue<string>() : p.Value.ToJsonString(), StringComparer.Ordinal);
        foreach (var (key, text) in texts)
        {
            var max = key.StartsWith(CustomFieldPrefix, StringComparison.Ordinal) || key.Contains("street", StringComparison.Ordinal) ? 255
                : key is "sms_number" or "sms_consent_date" ? 16
                : key is "email" or "birthday_month" or "birthday_day" or "anniversary" ? int.MaxValue
                : 50;
            if (text.Length > max)
            {
                fatal.Add($"{key} exceeds the maximum length of {max} characters");
            }
        }

        if (texts.GetValueOrDefault("email") is { } email)
        {
            if (email.Length > 50)
            {
                fatal.Add("email exceeds the maximum length of 50 characters");
            }
            else if (!ContactRequestRules.IsPlausibleEmail(email.Trim()))
            {
                correctable.Add("invalid email address format");
            }
        }

        var month = texts.GetValueOrDefault("birthday_month");
        var day = texts.GetValueOrDefault("birthday_day");
        if ((month is not null || day is not null)
            && !(int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
                 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(2000, m)))
        {
            correctable.Add("birthday format error (birthday_month 1-12 and birthday_day 1-31 are required together)");
        }

        if (texts.Keys.Count(k => k.EndsWith("phone", StringComparison.Ordinal)) > 3)
        {
            fatal.Add("more than 3 phone numbers");
        }

        var label = texts.GetValueOrDefault("email") ?? texts.GetValueOrDefault("sms_number") ?? "no email";
        return [.. fatal.Concat(correctable).Select(p => $"({label}): {p}")];
    }

    private static void AddPhones(JsonObject row, IEnumerable<object?> phones, List<string> problems)
    {
        foreach (var phone in phones.OfType<IReadOnlyDictionary<string, object?>>())
        {
            var kind = RecordJson.ScalarText(phone.GetValueOrDefault("kind"));
            var key = kind is "home" or "work" or "mobile" or "other" ? kind + "_phone" : "phone";
            if (RecordJson.ScalarText(phone.GetValueOrDefault("phone_number")) is { } number)
            {
                if (row.ContainsKey(key))
                {
                    problems.Add($"two phone numbers of kind {kind ?? "(none)"}: a bulk import takes one per kind");
                }

                row[key] = number;
            }
        }
    }

    private static void AddAddresses(JsonObject row, IEnumerable<object?> addresses, List<string> problems)
    {
        foreach (var address in addresses.OfType<IReadOnlyDictionary<string, object?>>())
        {
            var kind = RecordJson.ScalarText(address.GetValueOrDefault("kind"));
            var prefix = kind is "home" or "work" or "other" ? kind + "_" : string.Empty;
            if (row.ContainsKey(prefix + "street") || row.ContainsKey(prefix + "city"))
            {
                problems.Add($"two street addresses of kind {kind ?? "(none)"}: a bulk import takes one per kind");
            }

            foreach (var (from, to) in AddressKeys)
            {
                if (RecordJson.ScalarText(address.GetValueOrDefault(from)) is { } text)
                {
                    row[prefix == "home_" && to == "country" ? "home country" : prefix + to] = text;
                }
            }
        }
    }
}
