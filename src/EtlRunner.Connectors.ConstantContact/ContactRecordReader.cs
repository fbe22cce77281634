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

    private readonly RecordSchema _schema;
    private readonly Dictionary<string, RecordSchema> _extended = new(StringComparer.Ordinal);

    public ContactRecordReader(IReadOnlyList<string> include)
    {
        _schema = new RecordSchema([.. CoreFields, .. include.Distinct(StringComparer.Ordinal)]);
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
