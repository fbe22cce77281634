using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using static EtlRunner.Sandbox.Contacts.ContactRules;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>Parses and field-validates ContactPostRequest (POST) and ContactPutRequest (PUT) bodies.</summary>
internal static class ContactInputParser
{
    public static ContactInput Parse(JsonObject body, bool isPut, List<string> errors)
    {
        var r = new FieldReader(body, "", errors);
        var input = new ContactInput
        {
            Source = r.Enum(isPut ? "update_source" : "create_source", Sources, required: true),
            FirstName = r.String("first_name", NameMax),
            LastName = r.String("last_name", NameMax),
            JobTitle = r.String("job_title", NameMax),
            CompanyName = r.String("company_name", NameMax),
            BirthdayMonth = r.Int("birthday_month", 1, 12),
            BirthdayDay = r.Int("birthday_day", 1, 31),
            Anniversary = Anniversary(r),
            CustomFields = CustomFields(r, CustomFieldsMax),
            Phones = r.Objects("phone_numbers", PhonesMax, Phone),
            Addresses = r.Objects("street_addresses", AddressesMax, Address),
            Lists = r.Uuids("list_memberships", ListsMax),
            Tags = r.Uuids("taggings", TagsMax),
            Notes = r.Objects("notes", NotesMax, Note),
            Sms = Sms(r),
        };
        CheckBirthday(input.BirthdayMonth, input.BirthdayDay, "", errors);
        if (r.ChildReader("email_address") is { } email)
        {
            input.EmailAddress = Email(email, EmailMax);
            input.Permission = email.Enum("permission_to_send", Permissions);
            input.OptOutReason = isPut ? email.String("opt_out_reason", OptOutReasonMax) : null;
        }

        if (!isPut && !input.HasIdentity && errors.Count == 0)
        {
            errors.Add("At least one of first_name, last_name, email_address or sms_channel is required.");
        }

        return input;
    }

    /// <summary>Reads a required address from an email object or a plain property and checks its form.</summary>
    public static string? Email(FieldReader r, int maxLength, string name = "address")
    {
        var address = r.String(name, maxLength, required: true)?.Trim();
        if (address is not null && !IsPlausibleEmail(address))
        {
            r.Errors.Add($"{r.PathOf(name)} '{address}' is not a valid email address.");
            return null;
        }

        return address;
    }

    public static string? Anniversary(FieldReader r)
    {
        var text = r.String("anniversary", AnniversaryMax);
        if (text is null)
        {
            return null;
        }

        var normalized = Timestamps.NormalizeAnniversary(text);
        if (normalized is null)
        {
            r.Errors.Add($"{r.PathOf("anniversary")} '{text}' is not a valid date; use MM/DD/YYYY, YYYY/MM/DD, YYYY-MM-DD or M-D-YYYY.");
        }

        return normalized;
    }

    public static List<CustomFieldValue>? CustomFields(FieldReader r, int max) =>
        r.Objects("custom_fields", max, f =>
        {
            var id = f.Uuid("custom_field_id", required: true);
            var value = f.String("value", CustomFieldValueMax) ?? "";
            return id is { } g ? new CustomFieldValue { CustomFieldId = g, Value = value } : null;
        });

    private static PhoneInput? Phone(FieldReader r)
    {
        var number = r.String("phone_number", PhoneMax, required: true);
        var kind = r.Enum("kind", PhoneKinds) ?? "other";
        return number is null ? null : new PhoneInput(number, kind);
    }

    public static AddressInput? Address(FieldReader r)
    {
        var kind = r.Enum("kind", AddressKinds, required: true);
        var address = new AddressInput(kind ?? "home", r.String("street", StreetMax), r.String("city", AddressPartMax),
            r.String("state", AddressPartMax), r.String("postal_code", AddressPartMax), r.String("country", AddressPartMax));
        return kind is null ? null : address;
    }

    private static NoteInput? Note(FieldReader r)
    {
        var id = r.Uuid("note_id");
        var createdText = r.String("created_at");
        DateTimeOffset? created = null;
        if (createdText is not null)
        {
            if (Timestamps.TryParse(createdText, out var t))
            {
                created = t;
            }
            else
            {
                r.Errors.Add($"{r.PathOf("created_at")} must be an ISO-8601 date-time.");
            }
        }

        var content = r.String("content", NoteMax, required: true);
        return content is null ? null : new NoteInput(id, created, content);
    }

    private static SmsInput? Sms(FieldReader r)
    {
        if (r.ChildReader("sms_channel") is not { } sms)
        {
            return null;
        }

        // The contract gives no length for full_sms_address nor a count for sms_channel_consents: only the digits are checked.
        var full = sms.String("full_sms_address", required: true);
        var consents = sms.Objects("sms_channel_consents", int.MaxValue, c => new[]
        {
            c.Enum("sms_consent_permission", SmsPermissions, required: true),
            c.String("consent_type", required: true),
        }, minItems: 1, required: true);
        if (full is null)
        {
            return null;
        }

        var digits = new string([.. full.Where(char.IsDigit)]);
        if (digits.Length is < 10 or > 15)
        {
            sms.Errors.Add($"{sms.PathOf("full_sms_address")} must be a phone number with its dial code.");
            return null;
        }

        if (consents is not [[{ } permission, { } type], ..])
        {
            return null;
        }

        var dial = digits.Length > 10 ? digits[..^10] : "1";
        return new SmsInput(digits[^10..], dial, dial == "1" ? "US" : "", permission, type);
    }
}
