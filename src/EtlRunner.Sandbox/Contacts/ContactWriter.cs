using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>Applies validated inputs to contacts: create (POST) and full replace (PUT). Call under the state lock.</summary>
internal static class ContactWriter
{
    public static ContactRecord Create(SandboxState state, ContactInput input, DateTimeOffset now)
    {
        var source = input.Source ?? "Account";
        var contact = new ContactRecord { Id = Guid.NewGuid(), CreateSource = source, CreatedAt = now, UpdatedAt = now };
        if (input.EmailAddress is { } address)
        {
            contact.Email = EmailRecord.Create(address, input.Permission ?? "implicit", source, now);
        }

        SetCore(contact, input);
        SetSubresources(contact, input, source, now);
        state.AddContact(contact);
        return contact;
    }

    /// <summary>PUT semantics: core properties replaced (omitted ones become null), sub-resources replaced only when sent; revives.</summary>
    public static void Replace(SandboxState state, ContactRecord contact, ContactInput input, DateTimeOffset now)
    {
        var source = input.Source ?? "Account";
        if (input.EmailAddress is not { } address)
        {
            state.SetEmail(contact, null);
        }
        else if (contact.Email is { } email && email.Address.Equals(address, StringComparison.OrdinalIgnoreCase))
        {
            if (email.Address != address)
            {
                email.Address = address;
                email.UpdatedAt = now;
                state.SetEmail(contact, email);
            }

            email.SetPermission(input.Permission ?? email.PermissionToSend, source, now);
        }
        else
        {
            state.SetEmail(contact, EmailRecord.Create(address, input.Permission ?? "implicit", source, now));
        }

        if (contact.Email is { PermissionToSend: "unsubscribed" } unsubscribed && input.OptOutReason is { } reason)
        {
            unsubscribed.OptOutReason = reason;
        }

        SetCore(contact, input);
        SetSubresources(contact, input, source, now);
        Touch(state, contact, source, now);
        contact.DeletedAt = null;
    }

    public static void Touch(SandboxState state, ContactRecord contact, string source, DateTimeOffset now)
    {
        contact.UpdateSource = source;
        contact.UpdatedAt = now;
        state.MarkDirty(contact);
    }

    /// <summary>Soft delete: status deleted, deleted_at set, list memberships removed.</summary>
    public static void Delete(SandboxState state, ContactRecord contact, DateTimeOffset now)
    {
        if (contact.IsDeleted)
        {
            return;
        }

        contact.DeletedAt = now;
        contact.UpdatedAt = now;
        contact.Lists.Clear();
        state.MarkDirty(contact);
    }

    private static void SetCore(ContactRecord c, ContactInput input)
    {
        c.FirstName = input.FirstName;
        c.LastName = input.LastName;
        c.JobTitle = input.JobTitle;
        c.CompanyName = input.CompanyName;
        c.BirthdayMonth = input.BirthdayMonth;
        c.BirthdayDay = input.BirthdayDay;
        c.Anniversary = input.Anniversary;
    }

    private static void SetSubresources(ContactRecord c, ContactInput input, string source, DateTimeOffset now)
    {
        if (input.CustomFields is { } fields)
        {
            c.CustomFields = [.. fields.GroupBy(f => f.CustomFieldId).Select(g => g.Last())];
        }

        if (input.Phones is { } phones)
        {
            c.Phones = [.. phones.Select(p => Phone(c, p, source, now))];
        }

        if (input.Addresses is { } addresses)
        {
            c.Addresses = [.. addresses.Select(a => Address(c, a, now))];
        }

        if (input.Lists is { } lists)
        {
            c.Lists = [.. lists];
        }

        if (input.Tags is { } tags)
        {
            c.Tags = [.. tags];
        }

        if (input.Notes is { } notes)
        {
            c.Notes = [.. notes.Select(n => new NoteRecord { Id = n.Id ?? Guid.NewGuid(), CreatedAt = n.CreatedAt ?? now, Content = n.Content })];
        }

        if (input.Sms is { } sms)
        {
            SetSms(c, sms, source, now);
        }
    }

    public static void SetSms(ContactRecord c, SmsInput sms, string source, DateTimeOffset now)
    {
        var record = c.Sms ?? new SmsRecord { Id = Guid.NewGuid(), CreateSource = source, CreatedAt = now };
        record.Address = sms.Address;
        record.DialCode = sms.DialCode;
        record.CountryCode = sms.CountryCode;
        record.ConsentType = sms.ConsentType;
        record.UpdateSource = source;
        record.UpdatedAt = now;
        if (record.Permission != sms.Permission)
        {
            record.Permission = sms.Permission;
            record.OptInDate = sms.Permission == "explicit" ? now : record.OptInDate;
        }

        c.Sms = record;
    }

    public static PhoneRecord Phone(ContactRecord c, PhoneInput p, string source, DateTimeOffset now) =>
        c.Phones.FirstOrDefault(old => old.Number == p.Number && old.Kind == p.Kind)
        ?? new PhoneRecord { Id = Guid.NewGuid(), Number = p.Number, Kind = p.Kind, Source = source, CreatedAt = now, UpdatedAt = now };

    public static AddressRecord Address(ContactRecord c, AddressInput a, DateTimeOffset now)
    {
        var old = c.Addresses.FirstOrDefault(x => x.Kind == a.Kind);
        var same = old is not null && old.Street == a.Street && old.City == a.City && old.State == a.State
            && old.PostalCode == a.PostalCode && old.Country == a.Country;
        return same ? old! : new AddressRecord
        {
            Id = old?.Id ?? Guid.NewGuid(),
            Kind = a.Kind,
            Street = a.Street,
            City = a.City,
            State = a.State,
            PostalCode = a.PostalCode,
            Country = a.Country,
            CreatedAt = old?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }
}
