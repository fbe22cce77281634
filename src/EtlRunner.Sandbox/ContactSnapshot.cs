namespace EtlRunner.Sandbox;

/// <summary>A read-only copy of a stored contact, for tests to assert final data.</summary>
public sealed record ContactSnapshot
{
    public required Guid Id { get; init; }

    public string? Email { get; init; }

    /// <summary>The email permission_to_send (null without an email).</summary>
    public string? PermissionToSend { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? JobTitle { get; init; }

    public string? CompanyName { get; init; }

    public int? BirthdayMonth { get; init; }

    public int? BirthdayDay { get; init; }

    public string? Anniversary { get; init; }

    /// <summary>deleted, active (explicit/implicit permission), not_set, pending_confirmation, temp_hold or unsubscribed.</summary>
    public required string Status { get; init; }

    public bool IsDeleted => DeletedAt is not null;

    public string? CreateSource { get; init; }

    public string? UpdateSource { get; init; }

    public required IReadOnlyList<Guid> ListMemberships { get; init; }

    /// <summary>Custom field values by custom_field_id.</summary>
    public required IReadOnlyDictionary<Guid, string> CustomFields { get; init; }

    /// <summary>Phone numbers as (kind, number).</summary>
    public required IReadOnlyList<(string Kind, string Number)> PhoneNumbers { get; init; }

    public required IReadOnlyList<AddressSnapshot> StreetAddresses { get; init; }

    public required IReadOnlyList<Guid> Taggings { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The deletion date (the API shows it as a yyyy-MM-dd date).</summary>
    public DateOnly? DeletedAt { get; init; }
}
