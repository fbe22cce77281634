namespace EtlRunner.Sandbox.Contacts;

/// <summary>Which sub-resources a contact response carries (the <c>include</c> parameter).</summary>
[Flags]
internal enum ContactInclude
{
    None = 0,
    CustomFields = 1,
    ListMemberships = 2,
    PhoneNumbers = 4,
    StreetAddresses = 8,
    Taggings = 16,
    Notes = 32,
    SmsChannel = 64,
}

internal static class ContactIncludes
{
    private static readonly Dictionary<string, ContactInclude> Names = new()
    {
        ["custom_fields"] = ContactInclude.CustomFields,
        ["list_memberships"] = ContactInclude.ListMemberships,
        ["phone_numbers"] = ContactInclude.PhoneNumbers,
        ["street_addresses"] = ContactInclude.StreetAddresses,
        ["taggings"] = ContactInclude.Taggings,
        ["notes"] = ContactInclude.Notes,
        ["sms_channel"] = ContactInclude.SmsChannel,
    };

    public static IReadOnlyCollection<string> Allowed => Names.Keys;

    public static ContactInclude From(IEnumerable<string>? names) =>
        (names ?? []).Aggregate(ContactInclude.None, (acc, n) => acc | Names[n]);

    /// <summary>The sub-resources a POST/PUT body sent: those are echoed back in its response.</summary>
    public static ContactInclude SentIn(ContactInput input) =>
        (input.CustomFields is null ? 0 : ContactInclude.CustomFields)
        | (input.Lists is null ? 0 : ContactInclude.ListMemberships)
        | (input.Phones is null ? 0 : ContactInclude.PhoneNumbers)
        | (input.Addresses is null ? 0 : ContactInclude.StreetAddresses)
        | (input.Tags is null ? 0 : ContactInclude.Taggings)
        | (input.Notes is null ? 0 : ContactInclude.Notes)
        | (input.Sms is null ? 0 : ContactInclude.SmsChannel);
}
