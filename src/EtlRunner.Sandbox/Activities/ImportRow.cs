using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Contacts;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Activities;

/// <summary>One JsonImportContact (flat keys) parsed and checked against the import limits.</summary>
internal sealed class ImportRow
{
    private static readonly string[] CoreKeys = ["first_name", "last_name", "job_title", "company_name"];

    private static readonly (string Key, string Kind)[] PhoneKeys =
        [("phone", "other"), ("home_phone", "home"), ("work_phone", "work"), ("mobile_phone", "mobile"), ("other_phone", "other")];

    private static readonly (string Prefix, string Kind)[] AddressPrefixes =
        [("", "home"), ("home_", "home"), ("work_", "work"), ("other_", "other")];

    private ImportRow(int number, string label)
    {
        Number = number;
        Label = label;
    }

    public int Number { get; }

    public string Label { get; }

    public string? Email { get; private set; }

    public string? SmsNumber { get; private set; }

    public Dictionary<string, string> Core { get; } = [];

    public int? BirthdayMonth { get; private set; }

    public int? BirthdayDay { get; private set; }

    public string? Anniversary { get; private set; }

    public List<PhoneInput> Phones { get; } = [];

    public List<AddressInput> Addresses { get; } = [];

    public List<CustomFieldValue> CustomFields { get; } = [];

    /// <summary>Problems a user could fix in the product UI (bad email, birthday/anniversary format, no email).</summary>
    public List<string> Correctable { get; } = [];

    /// <summary>Problems that reject the row outright (over-long values, unknown custom fields...).</summary>
    public List<string> Fatal { get; } = [];

    public bool IsValid => Correctable.Count == 0 && Fatal.Count == 0;

    public static ImportRow Parse(JsonNode? node, int number, SandboxState state)
    {
        if (node is not JsonObject obj)
        {
            var bad = new ImportRow(number, "not an object");
            bad.Fatal.Add("the row is not a JSON object");
            return bad;
        }

        var email = Text(obj, "email");
        var row = new ImportRow(number, email ?? Text(obj, "sms_number") ?? "no email");
        row.ParseIdentity(obj, email);
        foreach (var key in CoreKeys)
        {
            if (row.Limited(obj, key, 50) is { } value)
            {
                row.Core[key] = value;
            }
        }

        row.ParseDates(obj);
        row.ParsePhones(obj);
        row.ParseAddresses(obj);
        row.ParseCustomFields(obj, state);
        return row;
    }

    private void ParseIdentity(JsonObject obj, string? email)
    {
        SmsNumber = Limited(obj, "sms_number", 16);
        if (email is null)
        {
            if (SmsNumber is null)
            {
                Correctable.Add("does not have minimal contact information (no email address)");
            }

            return;
        }

        if (email.Length > 50)
        {
            Fatal.Add("email exceeds the maximum length of 50 characters");
        }
        else if (!ContactRules.IsPlausibleEmail(email.Trim()))
        {
            Correctable.Add("invalid email address format");
        }
        else
        {
            Email = email.Trim();
        }
    }

    private void ParseDates(JsonObject obj)
    {
        var month = Integer(obj, "birthday_month");
        var day = Integer(obj, "birthday_day");
        if (month is not null || day is not null)
        {
            if (month is not { } m || day is not { } d || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(2000, m))
            {
                Correctable.Add("birthday format error (birthday_month 1-12 and birthday_day 1-31 are required together)");
            }
            else
            {
                (BirthdayMonth, BirthdayDay) = (m, d);
            }
        }

        if (Text(obj, "anniversary") is { } anniversary)
        {
            Anniversary = Timestamps.NormalizeAnniversary(anniversary);
            if (Anniversary is null)
            {
                Correctable.Add($"anniversary format error ('{anniversary}')");
            }
        }
    }

    private void ParsePhones(JsonObject obj)
    {
        foreach (var (key, kind) in PhoneKeys)
        {
            if (Limited(obj, key, 50) is { } phone)
            {
                Phones.Add(new PhoneInput(phone, kind));
            }
        }

        if (Phones.Count > ContactRules.PhonesMax)
        {
            Fatal.Add($"more than {ContactRules.PhonesMax} phone numbers");
        }
    }

    private void ParseAddresses(JsonObject obj)
    {
        foreach (var (prefix, kind) in AddressPrefixes)
        {
            var street = Limited(obj, prefix + "street", 255);
            var street2 = Limited(obj, prefix + "street2", 255);
            var country = Limited(obj, prefix + "country", 50) ?? (prefix == "home_" ? Limited(obj, "home country", 50) : null);
            var address = new AddressInput(kind, street2 is null ? street : $"{street} {street2}".Trim(),
                Limited(obj, prefix + "city", 50), Limited(obj, prefix + "state", 50), Limited(obj, prefix + "zip", 50), country);
            if (address != new AddressInput(kind, null, null, null, null, null))
            {
                Addresses.RemoveAll(a => a.Kind == kind);
                Addresses.Add(address);
            }
        }
    }

    private void ParseCustomFields(JsonObject obj, SandboxState state)
    {
        foreach (var (key, _) in obj.Where(p => p.Key.StartsWith("cf:", StringComparison.Ordinal)))
        {
            var name = key[3..];
            var field = state.Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            var value = Limited(obj, key, ContactRules.CustomFieldValueMax);
            if (field is null)
            {
                Fatal.Add($"custom field '{name}' does not exist");
            }
            else if (value is not null)
            {
                CustomFields.Add(new CustomFieldValue { CustomFieldId = field.Id, Value = value });
            }
        }

        if (CustomFields.Count > ContactRules.CustomFieldsMax)
        {
            Fatal.Add($"more than {ContactRules.CustomFieldsMax} custom fields");
        }
    }

    private string? Limited(JsonObject obj, string key, int max)
    {
        var value = Text(obj, key);
        if (value is not null && value.Length > max)
        {
            Fatal.Add($"{key} exceeds the maximum length of {max} characters");
            return null;
        }

        return value;
    }

    private static string? Text(JsonObject obj, string key) =>
        obj.TryGetPropertyValue(key, out var node) && node is JsonValue v
            ? v.GetValueKind() switch
            {
                JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : null,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
                _ => null,
            }
            : null;

    private int? Integer(JsonObject obj, string key)
    {
        var text = Text(obj, key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        Correctable.Add($"{key} '{text}' is not a number");
        return null;
    }
}
