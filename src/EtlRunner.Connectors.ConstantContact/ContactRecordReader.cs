using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// Turns contacts into records shaped like the API's contact resource. Every record of a query has the same fields
/// (the core ones, then the included sub-resources; a field the API left out is null), so downstream targets see
/// one schema; a field the API adds beyond those is appended.
/// </summary>
internal sealed class ContactRecordReader
{
    private static readonly string[] CoreFields =
    [
        "contact_id", "email_address", "first_name", "last_name", "job_title", "company_name", "birthday_month",
        "birthday_day", "anniversary", "update_source", "create_source", "created_at", "updated_at", "deleted_at",
    ];

    /// <summary>The fields of the contact's <c>email_address</c> (the API's EmailAddress definition in swagger.yaml).</summary>
    private static readonly string[] EmailAddressFields =
    [
        "address", "permission_to_send", "created_at", "updated_at", "opt_in_source", "opt_in_date", "opt_out_source", "opt_out_date",
        "opt_out_reason", "confirm_status",
    ];

    private readonly RecordSchema _schema;
    private readonly Dictionary<string, RecordSchema> _extended = new(StringComparer.Ordinal);

    public ContactRecordReader(IReadOnlyList<string> include)
    {
        _schema = new RecordSchema([.. CoreFields, .. include.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The fields every record of a query has, from the API's contract (ContactResource): the core ones with
    /// <c>email_address</c>'s own, then the sub-resources <c>include</c> asks for (lists, whose insides are not checked).
    /// </summary>
    public static RecordShape Shape(IReadOnlyList<string> include)
    {
        var emailAddress = RecordShape.Flat(EmailAddressFields, "Constant Contact's EmailAddress");
        var fields = CoreFields.Select(name => KeyValuePair.Create(name, name == ContactFields.EmailAddress ? emailAddress : null))
            .Concat(include.Select(name => KeyValuePair.Create(name, (RecordShape?)null)));
        var included = include.Count == 0 ? "no include" : "include: " + string.Join(", ", include);
        return new RecordShape(fields, $"a Constant Contact contact ({included})");
    }

    public Record Read(ContactResource contact)
    {
        var values = new object?[_schema.Count];
        List<(string Name, object? Value)>? extra = null;
        foreach (var property in contact.Json.EnumerateObject())
        {
            var value = RecordJson.ToValue(property.Value);
            if (_schema.TryGetIndex(property.Name, out var index))
            {
                values[index] = value;
            }
            else
            {
                (extra ??= []).Add((property.Name, value));
            }
        }

        var origin = "contact " + contact.ContactId;
        if (extra is null)
        {
            return new Record(_schema, values, origin);
        }

        var key = string.Join('\n', extra.Select(e => e.Name));
        if (!_extended.TryGetValue(key, out var schema))
        {
            schema = new RecordSchema([.. _schema.Names, .. extra.Select(e => e.Name)]);
            _extended[key] = schema;
        }

        return new Record(schema, [.. values, .. extra.Select(e => e.Value)], origin);
    }
}
