using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using Microsoft.AspNetCore.Http;
using static EtlRunner.Sandbox.Contacts.ContactRules;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>
/// POST /contacts/sign_up_form (ContactCreateOrUpdateInput): matches by email (case-insensitive) or SMS number,
/// creates (201) or partially updates (200, revives deleted contacts), appending lists and merging custom fields.
/// </summary>
internal sealed class SignUpFormEndpoint(SandboxState state)
{
    private const string Source = "Contact";

    public void Map(ApiRouteMap map) => map.Add(ApiRoutes.SignUpForm, HandleAsync);

    private async Task<ApiResponse> HandleAsync(HttpContext context)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var input = Parse(new FieldReader(body!, "", errors));
        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            ContactReferences.Check(state, input.Lists, input.CustomFields, errors);
            if (errors.Count > 0)
            {
                return ApiResponse.Validation(errors);
            }

            var existing = input.EmailAddress is { } email ? state.ContactByEmail(email)
                : input.Sms is { } sms ? state.ContactBySms(sms.DialCode + sms.Address) : null;
            var now = state.Now;
            if (existing is null)
            {
                var created = ContactWriter.Create(state, input, now);
                return Result(StatusCodes.Status201Created, created, "created");
            }

            return Merge(existing, input, now, errors) ? Result(StatusCodes.Status200OK, existing, "updated")
                : ApiResponse.Validation(errors);
        });
    }

    private static ContactInput Parse(FieldReader r)
    {
        var input = new ContactInput
        {
            Source = Source,
            Permission = "explicit",
            EmailAddress = r.Has("email_address") ? ContactInputParser.Email(r, 50, "email_address") : null,
            FirstName = r.String("first_name", NameMax),
            LastName = r.String("last_name", NameMax),
            JobTitle = r.String("job_title", NameMax),
            CompanyName = r.String("company_name", NameMax),
            Phones = r.String("phone_number", PhoneMax) is { } phone ? [new PhoneInput(phone, "other")] : null,
            Lists = r.Uuids("list_memberships", ListsMax, minItems: 1, required: true),
            CustomFields = ContactInputParser.CustomFields(r, 50),
            Anniversary = ContactInputParser.Anniversary(r),
            BirthdayMonth = r.Int("birthday_month", 1, 12),
            BirthdayDay = r.Int("birthday_day", 1, 31),
            Addresses = r.ChildReader("street_address") is { } a && ContactInputParser.Address(a) is { } address ? [address] : null,
            Sms = Sms(r),
        };
        CheckBirthday(input.BirthdayMonth, input.BirthdayDay, "", r.Errors);
        if (input.EmailAddress is null && input.Sms is null && r.Errors.Count == 0)
        {
            r.Errors.Add("Either email_address or sms_channel is required.");
        }

        return input;
    }

    private static SmsInput? Sms(FieldReader r)
    {
        if (r.ChildReader("sms_channel") is not { } s)
        {
            return null;
        }

        var address = s.String("sms_address", required: true);
        var dial = s.String("dial_code", 4, required: true);
        var country = s.String("country_code", 2, required: true);
        var consents = s.Objects("sms_channel_consents", int.MaxValue, c => new[]
        {
            c.Enum("sms_consent_permission", SmsPermissions, required: true),
            c.String("consent_type", required: true),
        }, minItems: 1, required: true);
        return address is not null && dial is not null && country is not null && consents is [[{ } p, { } t], ..]
            ? new SmsInput(address, dial, country, p, t)
            : null;
    }

    private bool Merge(ContactRecord c, ContactInput input, DateTimeOffset now, List<string> errors)
    {
        var lists = c.Lists.Union(input.Lists ?? []).ToList();
        var fields = c.CustomFields.Where(f => input.CustomFields?.All(n => n.CustomFieldId != f.CustomFieldId) ?? true)
            .Concat(input.CustomFields ?? []).ToList();
        if (lists.Count > ListsMax)
        {
            errors.Add($"list_memberships: a contact can be a member of at most {ListsMax} lists.");
        }

        if (fields.Count > CustomFieldsMax)
        {
            errors.Add($"custom_fields: a contact can have at most {CustomFieldsMax} custom fields.");
        }

        if (errors.Count > 0)
        {
            return false;
        }

        c.Lists = lists;
        c.CustomFields = fields;
        c.FirstName = input.FirstName ?? c.FirstName;
        c.LastName = input.LastName ?? c.LastName;
        c.JobTitle = input.JobTitle ?? c.JobTitle;
        c.CompanyName = input.CompanyName ?? c.CompanyName;
        c.Anniversary = input.Anniversary ?? c.Anniversary;
        (c.BirthdayMonth, c.BirthdayDay) = input.BirthdayMonth is not null
            ? (input.BirthdayMonth, input.BirthdayDay) : (c.BirthdayMonth, c.BirthdayDay);
        foreach (var phone in input.Phones ?? [])
        {
            if (c.Phones.All(p => p.Number != phone.Number))
            {
                c.Phones = [.. c.Phones.TakeLast(PhonesMax - 1), ContactWriter.Phone(c, phone, Source, now)];
            }
        }

        foreach (var address in input.Addresses ?? [])
        {
            c.Addresses = [.. c.Addresses.Where(a => a.Kind != address.Kind), ContactWriter.Address(c, address, now)];
        }

        if (input.Sms is { } sms)
        {
            ContactWriter.SetSms(c, sms, Source, now);
        }

        c.Email?.SetPermission("explicit", Source, now);
        if (c.Email is null && input.EmailAddress is { } address1)
        {
            state.SetEmail(c, EmailRecord.Create(address1, "explicit", Source, now));
        }

        c.DeletedAt = null;
        ContactWriter.Touch(state, c, Source, now);
        return true;
    }

    private static ApiResponse Result(int status, ContactRecord contact, string action) =>
        ApiResponse.Json(status, new JsonObject { ["contact_id"] = Ids.Format(contact.Id), ["action"] = action });
}
