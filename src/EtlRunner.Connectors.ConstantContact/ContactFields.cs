using System.Globalization;
using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>What a record asks to write to one contact: the API fields it sets and how it names the contact.</summary>
internal sealed record ContactChanges(JsonObject Fields, string? ContactId, string? Email)
{
    /// <summary>The sub-resources the record sets, which must be read (include=) to merge and compare them.</summary>
    public IReadOnlyList<string> Include =>
        [.. ConstantContactParameters.IncludeValues.Where(Fields.ContainsKey)];
}

/// <summary>
/// Reads a record written with the API's own field names (ContactPostRequest / ContactPutRequest) into
/// <see cref="ContactChanges"/>; a field the API does not know rejects the record, naming it.
/// </summary>
internal static class ContactFields
{
    public const string ContactId = "contact_id";
    public const string EmailAddress = "email_address";
    public const string EmailAlias = "email";

    /// <summary>Core fields: a PUT overwrites them all, so an update sends the contact's current values for those the record leaves out.</summary>
    public static readonly IReadOnlyList<string> Core =
        [EmailAddress, "first_name", "last_name", "job_title", "company_name", "birthday_month", "birthday_day", "anniversary"];

    /// <summary>Sub-resources: changed only when sent (an array replaces the contact's one).</summary>
    public static readonly IReadOnlyList<string> SubResources =
        ["custom_fields", "phone_numbers", "street_addresses", "list_memberships", "taggings", "notes", "sms_channel"];

    private static readonly HashSet<string> CreateFields = [.. Core, .. SubResources, ConstantContactParameters.CreateSource];
    private static readonly HashSet<string> UpdateFields = [.. Core, .. SubResources, ConstantContactParameters.UpdateSource, ContactId, EmailAlias];
    private static readonly HashSet<string> IntegerFields = ["birthday_month", "birthday_day"];
    private static readonly HashSet<string> IdListFields = ["list_memberships", "taggings"];

    /// <summary>A new contact: null and empty-string fields are left out (an empty CSV cell means "no value").</summary>
    public static (ContactChanges? Changes, FieldProblem? Problem) ForCreate(Record record) => Read(record, CreateFields, "create", skipEmpty: true);

    public static (ContactChanges? Changes, FieldProblem? Problem) ForUpdate(Record record)
    {
        var (changes, problem) = Read(record, UpdateFields, "update", skipEmpty: false);
        if (changes is not null && changes.ContactId is null && changes.Email is null)
        {
            return (null, new FieldProblem("the record has neither contact_id nor email_address, so no contact can be found to update", FieldProblem.NoIdentifier));
        }

        return (changes, problem);
    }

    /// <summary>The contact_id and email of a record that only names a contact (delete): other fields are ignored.</summary>
    public static (string? ContactId, string? Email) Identify(IReadOnlyDictionary<string, object?> record)
    {
        var id = RecordJson.ScalarText(record.GetValueOrDefault(ContactId))?.Trim();
        var email = EmailOf(record.GetValueOrDefault(EmailAddress)) ?? RecordJson.ScalarText(record.GetValueOrDefault(EmailAlias))?.Trim();
        return (string.IsNullOrEmpty(id) ? null : id, string.IsNullOrEmpty(email) ? null : email);
    }

    /// <summary>Whether a contact found after a lost answer carries what we sent (so our POST did create it).</summary>
    public static bool Matches(ContactResource found, ContactChanges sent)
    {
        var json = JsonNode.Parse(found.Json.GetRawText()) as JsonObject;
        return sent.Fields
            .Where(p => p.Key is "first_name" or "last_name" or "job_title" or "company_name")
            .All(p => RecordJson.Holds(json?[p.Key], p.Value));
    }

    private static (ContactChanges? Changes, FieldProblem? Problem) Read(Record record, HashSet<string> known, string activity, bool skipEmpty)
    {
        var unknown = record.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            return (null, new FieldProblem(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"unknown field{(unknown.Count > 1 ? "s" : string.Empty)} {string.Join(", ", unknown)}: the {activity} activity accepts {string.Join(", ", known.Order(StringComparer.Ordinal))}"),
                FieldProblem.UnknownField));
        }

        var fields = new JsonObject();
        foreach (var (name, value) in record)
        {
            if (value is null || name is ContactId or EmailAlias || (skipEmpty && value is string { Length: 0 }))
            {
                continue;
            }

            fields[name] = name switch
            {
                EmailAddress => value is string address ? new JsonObject { ["address"] = address.Trim() } : RecordJson.ToNode(value),
                _ when IntegerFields.Contains(name) && value is string text
                       && long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
                _ when IdListFields.Contains(name) && value is string ids =>
                    new JsonArray([.. ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(id => JsonValue.Create(id))]),
                _ => RecordJson.ToNode(value),
            };
        }

        var (contactId, email) = Identify(record);
        return (new ContactChanges(fields, contactId, email), null);
    }

    private static string? EmailOf(object? value) => value switch
    {
        string text => text.Trim(),
        IReadOnlyDictionary<string, object?> map => RecordJson.ScalarText(map.GetValueOrDefault("address"))?.Trim(),
        IEnumerable<KeyValuePair<string, object?>> pairs => RecordJson.ScalarText(pairs.FirstOrDefault(p => p.Key == "address").Value)?.Trim(),
        _ => null,
    };
}

/// <summary>Why a record cannot become a contact request: the reject's reason and its code.</summary>
internal sealed record FieldProblem(string Message, string Code)
{
    public const string UnknownField = "unknown_field";
    public const string NoIdentifier = "no_identifier";
}
