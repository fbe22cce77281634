using System.Text.Json.Serialization;

namespace EtlRunner.Sandbox.Model;

internal sealed class CustomFieldValue
{
    public Guid CustomFieldId { get; set; }

    public string Value { get; set; } = "";
}

internal sealed class PhoneRecord
{
    public Guid Id { get; set; }

    public string Number { get; set; } = "";

    public string Kind { get; set; } = "other";

    public string? Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class AddressRecord
{
    public Guid Id { get; set; }

    public string Kind { get; set; } = "home";

    public string? Street { get; set; }

    public string? City { get; set; }

    public string? State { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class NoteRecord
{
    public Guid Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string Content { get; set; } = "";
}

internal sealed class SmsRecord
{
    public Guid Id { get; set; }

    public string Address { get; set; } = "";

    public string DialCode { get; set; } = "1";

    public string CountryCode { get; set; } = "US";

    public string Permission { get; set; } = "not_set";

    public string ConsentType { get; set; } = "promotional_sms";

    public string CreateSource { get; set; } = "Account";

    public string UpdateSource { get; set; } = "Account";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? OptInDate { get; set; }

    [JsonIgnore]
    public string FullNumber => DialCode + Address;
}
