using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>Renders a contact as a ContactResource; sub-resources only when included.</summary>
internal static class ContactRenderer
{
    public static JsonObject Render(ContactRecord c, ContactInclude include)
    {
        var obj = new JsonObject { ["contact_id"] = Ids.Format(c.Id) }
            .With("email_address", c.Email is { } e ? Email(e) : null)
            .With("first_name", c.FirstName)
            .With("last_name", c.LastName)
            .With("job_title", c.JobTitle)
            .With("company_name", c.CompanyName)
            .With("birthday_month", c.BirthdayMonth)
            .With("birthday_day", c.BirthdayDay)
            .With("anniversary", c.Anniversary)
            .With("update_source", c.UpdateSource)
            .With("create_source", c.CreateSource)
            .With("created_at", c.CreatedAt)
            .With("updated_at", c.UpdatedAt)
            .With("deleted_at", c.DeletedAt is { } d ? Timestamps.FormatDate(d) : null);
        if (include.HasFlag(ContactInclude.CustomFields))
        {
            obj["custom_fields"] = c.CustomFields.ToJsonArray(f => new JsonObject
            {
                ["custom_field_id"] = Ids.Format(f.CustomFieldId),
                ["value"] = f.Value,
            });
        }

        if (include.HasFlag(ContactInclude.PhoneNumbers))
        {
            obj["phone_numbers"] = c.Phones.ToJsonArray(p => new JsonObject
            {
                ["phone_number_id"] = Ids.Format(p.Id),
                ["phone_number"] = p.Number,
                ["kind"] = p.Kind,
            }.With("created_at", p.CreatedAt).With("updated_at", p.UpdatedAt)
                .With("update_source", p.Source).With("create_source", p.Source));
        }

        if (include.HasFlag(ContactInclude.StreetAddresses))
        {
            obj["street_addresses"] = c.Addresses.ToJsonArray(a => new JsonObject
            {
                ["street_address_id"] = Ids.Format(a.Id),
                ["kind"] = a.Kind,
            }.With("street", a.Street).With("city", a.City).With("state", a.State)
                .With("postal_code", a.PostalCode).With("country", a.Country)
                .With("created_at", a.CreatedAt).With("updated_at", a.UpdatedAt));
        }

        if (include.HasFlag(ContactInclude.ListMemberships))
        {
            obj["list_memberships"] = c.Lists.ToJsonArray();
        }

        if (include.HasFlag(ContactInclude.Taggings))
        {
            obj["taggings"] = c.Tags.ToJsonArray();
        }

        if (include.HasFlag(ContactInclude.Notes))
        {
            obj["notes"] = c.Notes.OrderByDescending(n => n.CreatedAt).ToJsonArray(n => new JsonObject
            {
                ["note_id"] = Ids.Format(n.Id),
                ["created_at"] = Timestamps.Format(n.CreatedAt),
                ["content"] = n.Content,
            });
        }

        if (include.HasFlag(ContactInclude.SmsChannel) && c.Sms is { } sms)
        {
            obj["sms_channel"] = Sms(sms);
        }

        return obj;
    }

    private static JsonObject Email(EmailRecord e) => new JsonObject
    {
        ["address"] = e.Address,
        ["permission_to_send"] = e.PermissionToSend,
        ["created_at"] = Timestamps.Format(e.CreatedAt),
        ["updated_at"] = Timestamps.Format(e.UpdatedAt),
    }.With("opt_in_source", e.OptInSource)
        .With("opt_in_date", e.OptInDate)
        .With("opt_out_source", e.OptOutSource)
        .With("opt_out_date", e.OptOutDate)
        .With("opt_out_reason", e.OptOutReason)
        .With("confirm_status", e.ConfirmStatus);

    private static JsonObject Sms(SmsRecord s) => new()
    {
        ["sms_channel_id"] = Ids.Format(s.Id),
        ["sms_address"] = s.Address,
        ["dial_code"] = s.DialCode,
        ["country_code"] = s.CountryCode,
        ["update_source"] = s.UpdateSource,
        ["create_source"] = s.CreateSource,
        ["sms_channel_consents"] = new JsonArray(new JsonObject
        {
            ["sms_consent_permission"] = s.Permission,
            ["consent_type"] = s.ConsentType,
        }.With("opt_in_date", s.OptInDate)
            .With("created_at", s.CreatedAt)
            .With("updated_at", s.UpdatedAt)),
    };
}
