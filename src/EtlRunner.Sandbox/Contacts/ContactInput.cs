using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>A parsed, field-validated ContactPostRequest / ContactPutRequest body.</summary>
internal sealed class ContactInput
{
    public string? Source { get; set; }

    public string? EmailAddress { get; set; }

    public string? Permission { get; set; }

    /// <summary>EmailAddressPut.opt_out_reason: kept when the contact is (or becomes) unsubscribed.</summary>
    public string? OptOutReason { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? JobTitle { get; set; }

    public string? CompanyName { get; set; }

    public int? BirthdayMonth { get; set; }

    public int? BirthdayDay { get; set; }

    public string? Anniversary { get; set; }

    public List<CustomFieldValue>? CustomFields { get; set; }

    public List<PhoneInput>? Phones { get; set; }

    public List<AddressInput>? Addresses { get; set; }

    public List<Guid>? Lists { get; set; }

    public List<Guid>? Tags { get; set; }

    public List<NoteInput>? Notes { get; set; }

    public SmsInput? Sms { get; set; }

    public bool HasIdentity => FirstName is not null || LastName is not null || EmailAddress is not null || Sms is not null;
}

internal sealed record PhoneInput(string Number, string Kind);

internal sealed record AddressInput(string Kind, string? Street, string? City, string? State, string? PostalCode, string? Country);

internal sealed record NoteInput(Guid? Id, DateTimeOffset? CreatedAt, string Content);

internal sealed record SmsInput(string Address, string DialCode, string CountryCode, string Permission, string ConsentType);
