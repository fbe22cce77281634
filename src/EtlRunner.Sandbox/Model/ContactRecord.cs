using System.Text.Json.Serialization;

namespace EtlRunner.Sandbox.Model;

/// <summary>A contact as the sandbox stores it (serialized as-is to the data file).</summary>
internal sealed class ContactRecord
{
    public Guid Id { get; set; }

    /// <summary>Creation order; the stable sort key for paging.</summary>
    public long Sequence { get; set; }

    public EmailRecord? Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? JobTitle { get; set; }

    public string? CompanyName { get; set; }

    public int? BirthdayMonth { get; set; }

    public int? BirthdayDay { get; set; }

    public string? Anniversary { get; set; }

    public string CreateSource { get; set; } = "Account";

    public string? UpdateSource { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public List<CustomFieldValue> CustomFields { get; set; } = [];

    public List<PhoneRecord> Phones { get; set; } = [];

    public List<AddressRecord> Addresses { get; set; } = [];

    public List<Guid> Lists { get; set; } = [];

    public List<Guid> Tags { get; set; } = [];

    public List<NoteRecord> Notes { get; set; } = [];

    public SmsRecord? Sms { get; set; }

    [JsonIgnore]
    public bool IsDeleted => DeletedAt is not null;

    /// <summary>The contact's status as the <c>status</c> query parameter sees it.</summary>
    [JsonIgnore]
    public string Status => IsDeleted ? "deleted" : Email?.PermissionToSend switch
    {
        "explicit" or "implicit" => "active",
        null => "not_set",
        var p => p,
    };
}
