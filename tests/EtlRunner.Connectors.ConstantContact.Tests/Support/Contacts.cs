namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>Records as a map would produce them for the contact activities.</summary>
internal static class Contacts
{
    public static Record Of(params (string Name, object? Value)[] fields) =>
        Record.From(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), "test");

    public static Dictionary<string, object?> Email(string address, string? permission = null)
    {
        var email = new Dictionary<string, object?> { ["address"] = address };
        if (permission is not null)
        {
            email["permission_to_send"] = permission;
        }

        return email;
    }

    /// <summary>new1@example.com ... as create records (email_address as a plain string).</summary>
    public static List<Record> New(int count, string prefix = "new") =>
        [.. Enumerable.Range(1, count).Select(i => Of(("email_address", $"{prefix}{i}@example.com"), ("first_name", "Nina" + i), ("last_name", "New")))];

    public static Dictionary<string, object?> Params(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
