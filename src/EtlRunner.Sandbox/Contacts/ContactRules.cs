using System.Text.RegularExpressions;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>Limits and allowed values of the contact resource (API-NOTES section 3).</summary>
internal static partial class ContactRules
{
    public const int NameMax = 50;
    public const int EmailMax = 80;
    public const int CustomFieldValueMax = 255;
    public const int CustomFieldsMax = 25;
    public const int PhonesMax = 3;
    public const int PhoneMax = 25;
    public const int AddressesMax = 3;
    public const int StreetMax = 255;
    public const int AddressPartMax = 50;
    public const int ListsMax = 50;
    public const int TagsMax = 50;
    public const int NotesMax = 150;
    public const int NoteMax = 2000;
    public const int AnniversaryMax = 10;
    public const int OptOutReasonMax = 255;

    public static readonly string[] Sources = ["Contact", "Account"];

    public static readonly string[] Permissions =
        ["explicit", "implicit", "not_set", "pending_confirmation", "temp_hold", "unsubscribed"];

    public static readonly string[] SmsPermissions = ["explicit", "not_set", "pending_confirmation", "unsubscribed"];

    public static readonly string[] PhoneKinds = ["home", "work", "mobile", "other"];

    public static readonly string[] AddressKinds = ["home", "work", "other"];

    public static readonly string[] Statuses =
        ["all", "active", "deleted", "not_set", "pending_confirmation", "temp_hold", "unsubscribed"];

    public static readonly string[] SmsStatuses = ["all", "explicit", "unsubscribed", "pending_confirmation", "not_set"];

    public static bool IsPlausibleEmail(string address) => address.Length <= EmailMax && EmailPattern().IsMatch(address);

    /// <summary>Checks birthday_month/birthday_day: both or neither, and a day that exists in the month.</summary>
    public static void CheckBirthday(int? month, int? day, string prefix, List<string> errors)
    {
        if (month is null != day is null)
        {
            errors.Add($"{prefix}birthday_month and {prefix}birthday_day must be given together.");
        }
        else if (month is { } m && day is { } d && d > DateTime.DaysInMonth(2000, m))
        {
            errors.Add($"{prefix}birthday_day {d} does not exist in month {m}.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")]
    private static partial Regex EmailPattern();
}
