using System.Text;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>The one place that builds API routes; every URI is relative to <c>base_url</c> (e.g. <c>https://api.cc.email/v3/</c>).</summary>
internal static class ApiUrls
{
    public static Uri Contacts(ContactsQuery query) => Build("contacts", query.ToParameters());

    public static Uri ContactsByEmail(string email, IReadOnlyList<string> include) =>
        Contacts(new ContactsQuery { Email = email, Status = ["all"], Include = include, Limit = 1 });

    public static Uri Contacts() => new("contacts", UriKind.Relative);

    public static Uri Contact(string contactId) => new("contacts/" + Uri.EscapeDataString(contactId), UriKind.Relative);

    public static Uri Contact(string contactId, IReadOnlyList<string> include) =>
        Build("contacts/" + Uri.EscapeDataString(contactId), include.Count > 0 ? [new("include", string.Join(',', include))] : []);

    public static Uri ContactsJsonImport() => new("activities/contacts_json_import", UriKind.Relative);

    public static Uri ContactDelete() => new("activities/contact_delete", UriKind.Relative);

    public static Uri Memberships(MembershipChange change) => new("activities/" + change.Endpoint(), UriKind.Relative);

    /// <summary>The first page of an account's lists, tags or custom fields, the largest page each allows.</summary>
    public static Uri Named(NamedKind kind, bool membershipCounts = false) =>
        Build(kind.Path(), membershipCounts && kind == NamedKind.List
            ? [new("limit", kind.PageSize()), new("include_membership_count", "all")]
            : [new("limit", kind.PageSize())]);

    public static Uri NewNamed(NamedKind kind) => new(kind.Path(), UriKind.Relative);

    public static Uri Activity(string activityId) => new("activities/" + Uri.EscapeDataString(activityId), UriKind.Relative);

    private static Uri Build(string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(builder.ToString(), UriKind.Relative);
    }
}
