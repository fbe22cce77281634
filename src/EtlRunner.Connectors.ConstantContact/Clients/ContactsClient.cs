using System.Text;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Clients;

/// <summary>
/// The contacts resource (https://developer.constantcontact.com/api_reference/index.html#tag/Contacts).
/// </summary>
internal sealed class ContactsClient(ApiConnection connection)
{
    /// <summary>GET /contacts — one page of contacts matching the query.</summary>
    public Task<ContactsPage> GetPageAsync(ContactsQuery query, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(ApiRequest.Get(ApiUrls.Contacts(query), "GET /contacts"), Page, options, cancellationToken);

    /// <summary>GET /contacts?cursor=... — the page a <c>_links.next.href</c> points to.</summary>
    public Task<ContactsPage> GetNextPageAsync(Uri next, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(ApiRequest.Get(next, PageTrail.Route), Page, options, cancellationToken);

    private static ContactsPage Page(ApiResponse response) =>
        response.ReadJson(json => ContactsPage.From(json, response.Address)) with { Processing = response.StatusCode == System.Net.HttpStatusCode.Accepted };

    /// <summary>
    /// GET /contacts?email={email}&amp;status=all — the contact with exactly that address (trimmed, case-insensitive),
    /// a live one before a deleted one; null when none has it. Whatever else the search returns is never taken for it.
    /// </summary>
    /// <exception cref="AmbiguousContactException">Two or more live contacts have the address.</exception>
    public async Task<ContactResource?> FindByEmailAsync(string email, IReadOnlyList<string> include, RequestOptions options, CancellationToken cancellationToken)
    {
        var page = await connection.SendAsync(
            ApiRequest.Get(ApiUrls.ContactsByEmail(email, include), "GET /contacts?email"),
            Page,
            options,
            cancellationToken).ConfigureAwait(false);
        return ExactMatch(email, page.Contacts);
    }

    /// <summary>The one contact of <paramref name="contacts"/> whose address is <paramref name="email"/>; see <see cref="FindByEmailAsync"/>.</summary>
    internal static ContactResource? ExactMatch(string email, IEnumerable<ContactResource> contacts)
    {
        var matches = contacts.Where(c => SameEmail(c.EmailAddress, email)).ToList();
        var live = matches.Where(c => !c.IsDeleted).ToList();
        return live.Count switch
        {
            1 => live[0],
            > 1 => throw new AmbiguousContactException(email.Trim(), [.. live.Select(c => c.ContactId)]),
            _ => matches.FirstOrDefault(),
        };
    }

    /// <summary>Email addresses compare trimmed and case-insensitively, as the API treats them.</summary>
    internal static bool SameEmail(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>GET /contacts/{contact_id} — one contact with the sub-resources asked for; null on 404.</summary>
    public async Task<ContactResource?> GetAsync(string contactId, IReadOnlyList<string> include, RequestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.SendAsync(
                ApiRequest.Get(ApiUrls.Contact(contactId, include), "GET /contacts/{contact_id}"),
                r => r.ReadJson(ContactResource.From),
                options,
                cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>POST /contacts — creates one contact (201). Not repeated when its answer is lost: see <see cref="UnknownOutcomeException"/>.</summary>
    public Task<ContactResource> CreateAsync(NewContact contact, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(
            ApiRequest.Post(ApiUrls.Contacts(), "POST /contacts", Encoding.UTF8.GetBytes(contact.ToJson()), isIdempotent: false),
            r => r.ReadJson(ContactResource.From),
            options,
            cancellationToken);

    /// <summary>PUT /contacts/{contact_id} — replaces the contact's core fields and the sub-resources sent (200).</summary>
    public Task<ContactResource> UpdateAsync(string contactId, ContactUpdate update, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(
            ApiRequest.Put(ApiUrls.Contact(contactId), "PUT /contacts/{contact_id}", update.ToJson()),
            r => r.ReadJson(ContactResource.From),
            options,
            cancellationToken);

    /// <summary>DELETE /contacts/{contact_id} — soft-deletes the contact (204).</summary>
    public Task DeleteAsync(string contactId, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(ApiRequest.Delete(ApiUrls.Contact(contactId), "DELETE /contacts/{contact_id}"), static _ => true, options, cancellationToken);
}
