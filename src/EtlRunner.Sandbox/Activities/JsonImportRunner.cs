using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Contacts;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Activities;

/// <summary>
/// Completes a contacts_json_import: each row creates a contact or updates the one with the same email
/// (only the supplied properties; deleted contacts are revived), and adds it to the activity's lists.
/// </summary>
internal static class JsonImportRunner
{
    private const string Source = "Account";

    public static void Run(SandboxState state, ActivityRecord activity, DateTimeOffset at)
    {
        var payload = JsonNode.Parse(activity.Payload)!.AsObject();
        var rows = payload["import_data"]!.AsArray();
        var lists = payload["list_ids"]!.AsArray().Select(n => Guid.Parse(n!.GetValue<string>()))
            .Where(id => state.ActiveList(id) is not null).ToList();
        var smsPermission = payload["sms_permission_to_send"]?.GetValue<string>() ?? "not_set";
        for (var i = 0; i < rows.Count; i++)
        {
            var row = ImportRow.Parse(rows[i], i + 1, state);
            if (!row.IsValid)
            {
                Report(activity, row);
                continue;
            }

            var existing = row.Email is { } email ? state.ContactByEmail(email)
                : row.SmsNumber is { } sms ? state.ContactBySms(Digits(sms)) : null;
            if (existing is not null && MergedPhones(existing, row).Count > ContactRules.PhonesMax)
            {
                row.Fatal.Add($"the contact would have more than {ContactRules.PhonesMax} phone numbers");
                Report(activity, row);
                continue;
            }

            var contact = existing ?? Create(state, row, at);
            Apply(state, contact, row, smsPermission, at, isNew: existing is null);
            if (contact.Email?.PermissionToSend == "unsubscribed")
            {
                activity.CannotAddToListCount++;
            }
            else
            {
                contact.Lists = [.. contact.Lists.Union(lists).Take(ContactRules.ListsMax)];
            }
        }
    }

    private static void Report(ActivityRecord activity, ImportRow row)
    {
        foreach (var problem in row.Fatal.Concat(row.Correctable))
        {
            activity.Errors.Add($"Row {row.Number} ({row.Label}): {problem}");
        }

        if (row.Fatal.Count > 0)
        {
            activity.ErrorCount++;
        }
        else
        {
            activity.CorrectableCount++;
        }
    }

    private static ContactRecord Create(SandboxState state, ImportRow row, DateTimeOffset at)
    {
        var contact = new ContactRecord { Id = Guid.NewGuid(), CreateSource = Source, CreatedAt = at, UpdatedAt = at };
        if (row.Email is { } email)
        {
            contact.Email = EmailRecord.Create(email, "implicit", Source, at);
        }

        state.AddContact(contact);
        return contact;
    }

    private static void Apply(SandboxState state, ContactRecord c, ImportRow row, string smsPermission, DateTimeOffset at, bool isNew)
    {
        c.FirstName = row.Core.GetValueOrDefault("first_name") ?? c.FirstName;
        c.LastName = row.Core.GetValueOrDefault("last_name") ?? c.LastName;
        c.JobTitle = row.Core.GetValueOrDefault("job_title") ?? c.JobTitle;
        c.CompanyName = row.Core.GetValueOrDefault("company_name") ?? c.CompanyName;
        c.Anniversary = row.Anniversary ?? c.Anniversary;
        if (row.BirthdayMonth is not null)
        {
            (c.BirthdayMonth, c.BirthdayDay) = (row.BirthdayMonth, row.BirthdayDay);
        }

        c.Phones = MergedPhones(c, row).Select(p => ContactWriter.Phone(c, p, Source, at)).ToList();
        foreach (var address in row.Addresses)
        {
            c.Addresses = [.. c.Addresses.Where(a => a.Kind != address.Kind), ContactWriter.Address(c, address, at)];
        }

        c.CustomFields = [.. c.CustomFields.Where(f => row.CustomFields.All(n => n.CustomFieldId != f.CustomFieldId)),
            .. row.CustomFields];
        if (row.SmsNumber is { } sms && Digits(sms) is { Length: >= 10 } digits)
        {
            var dial = digits.Length > 10 ? digits[..^10] : "1";
            ContactWriter.SetSms(c, new SmsInput(digits[^10..], dial, "US", smsPermission, "promotional_sms"), Source, at);
        }

        c.DeletedAt = null;
        if (!isNew)
        {
            ContactWriter.Touch(state, c, Source, at);
        }

        state.MarkDirty(c);
    }

    private static List<PhoneInput> MergedPhones(ContactRecord c, ImportRow row)
    {
        var kinds = row.Phones.Select(p => p.Kind).ToHashSet();
        return [.. c.Phones.Where(p => !kinds.Contains(p.Kind)).Select(p => new PhoneInput(p.Number, p.Kind)), .. row.Phones];
    }

    private static string Digits(string text)
    {
        var digits = new string([.. text.Where(char.IsDigit)]);
        return digits.Length == 10 ? "1" + digits : digits;
    }
}
