using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox;

/// <summary>Read access to the sandbox's data (consistent snapshots, taken under the store's lock).</summary>
public sealed class SandboxStore
{
    private readonly SandboxState _state;

    internal SandboxStore(SandboxState state) => _state = state;

    /// <summary>Contacts in creation order; deleted ones only when asked.</summary>
    public IReadOnlyList<ContactSnapshot> Contacts(bool includeDeleted = false) =>
        _state.Read(() => _state.Contacts.Where(c => includeDeleted || !c.IsDeleted).Select(Snapshot).ToList());

    /// <summary>The contact with this email (case-insensitive), deleted or not.</summary>
    public ContactSnapshot? ContactByEmail(string email) =>
        _state.Read(() => _state.ContactByEmail(email) is { } c ? Snapshot(c) : null);

    public ContactSnapshot? Contact(Guid id) => _state.Read(() => _state.Contact(id) is { } c ? Snapshot(c) : null);

    public IReadOnlyList<ListSnapshot> Lists(bool includeDeleted = false) =>
        _state.Read(() => _state.Lists.Where(l => includeDeleted || !l.IsDeleted)
            .Select(l => new ListSnapshot(l.Id, l.Name, l.Description, l.Favorite, l.IsDeleted,
                _state.Contacts.Count(c => c.Lists.Contains(l.Id))))
            .ToList());

    public IReadOnlyList<CustomFieldSnapshot> CustomFields() =>
        _state.Read(() => _state.Fields.Select(f => new CustomFieldSnapshot(f.Id, f.Label, f.Name, f.Type)).ToList());

    public IReadOnlyList<ActivitySnapshot> Activities() =>
        _state.Read(() =>
        {
            var now = _state.PreciseNow;
            return _state.Activities
                .Select(a => new ActivitySnapshot(a.Id, a.Kind, a.StateAt(now), a.PercentDoneAt(now), [.. a.Errors]))
                .ToList();
        });

    private static ContactSnapshot Snapshot(ContactRecord c) => new()
    {
        Id = c.Id,
        Email = c.Email?.Address,
        PermissionToSend = c.Email?.PermissionToSend,
        FirstName = c.FirstName,
        LastName = c.LastName,
        JobTitle = c.JobTitle,
        CompanyName = c.CompanyName,
        BirthdayMonth = c.BirthdayMonth,
        BirthdayDay = c.BirthdayDay,
        Anniversary = c.Anniversary,
        Status = c.Status,
        CreateSource = c.CreateSource,
        UpdateSource = c.UpdateSource,
        ListMemberships = [.. c.Lists],
        CustomFields = c.CustomFields.ToDictionary(f => f.CustomFieldId, f => f.Value),
        PhoneNumbers = [.. c.Phones.Select(p => (p.Kind, p.Number))],
        StreetAddresses = [.. c.Addresses.Select(a => new AddressSnapshot(a.Kind, a.Street, a.City, a.State, a.PostalCode, a.Country))],
        Taggings = [.. c.Tags],
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
        DeletedAt = c.DeletedAt is { } d ? DateOnly.FromDateTime(d.UtcDateTime) : null,
    };
}
