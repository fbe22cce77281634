using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;
using EtlRunner.Connectors.ConstantContact.Sinks;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// A contact known by email: its id, whether it is deleted, and the contact as read when the directory keeps them.
/// <see cref="Ambiguity"/> is set, instead of a guess, when two or more live contacts have the address.
/// </summary>
internal sealed record ContactRef(string ContactId, bool IsDeleted, ContactResource? Contact = null)
{
    public AmbiguousContactException? Ambiguity { get; init; }
}

/// <summary>
/// Finds contact ids by email for an operation with the fewest requests: a few emails are looked up one by one
/// (GET /contacts?email=); for many, the first page of the whole list (status=all, 500 per page, with the total)
/// tells whether reading every page is cheaper than one lookup per email, and if so the list is read once and kept.
/// With <paramref name="keepContacts"/>, each <see cref="ContactRef"/> also carries the contact as read (core fields, no
/// sub-resources unless <paramref name="include"/> names them), for callers that compare it with a record.
/// </summary>
internal sealed class ContactDirectory(ContactsClient contacts, int individualLookupLimit, bool keepContacts = false, IReadOnlyList<string>? include = null)
{
    private readonly Dictionary<string, ContactRef?> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private long? _total;
    private long _scanned;
    private PageTrail? _trail;
    private Uri? _next;
    private bool _complete;

    /// <summary>Up to this many unknown emails are looked up one by one.</summary>
    public int IndividualLookupLimit => individualLookupLimit;

    /// <summary>The contacts in the account (deleted ones too) when the first page of them was read; null before.</summary>
    public long? Total => _total;

    /// <summary>
    /// The contact id of each of the batch's records at <paramref name="indexes"/> (each has a contact_id or an email):
    /// its contact_id as given, else the live contact with exactly its email. A record whose email finds no contact, or
    /// more than one, is rejected; one whose contact is deleted goes to <paramref name="deleted"/>, which accounts for it.
    /// </summary>
    public async Task<List<(int Index, string ContactId)>> ContactIdsAsync(
        WriteResultBuilder result, IEnumerable<int> indexes, Action<int, ContactRef> deleted, RequestOptions options, CancellationToken cancellationToken)
    {
        var named = indexes.Select(i => (Index: i, Name: ContactFields.Identify(result.Batch[i]))).ToList();
        var emails = named.Where(n => n.Name.ContactId is null).Select(n => n.Name.Email!).ToList();
        var found = emails.Count > 0 ? await ResolveAsync(emails, options, cancellationToken).ConfigureAwait(false) : null;
        var ids = new List<(int, string)>();
        foreach (var (index, (id, email)) in named)
        {
            switch (id is not null ? new ContactRef(id, false) : found![email!])
            {
                case null:
                    result.Reject(index, $"no contact with email {email}", "not_found");
                    break;
                case { Ambiguity: { } ambiguity }:
                    result.Reject(index, ambiguity.Message, "ambiguous");
                    break;
                case { IsDeleted: true } contact:
                    deleted(index, contact);
                    break;
                case { } contact:
                    ids.Add((index, contact.ContactId));
                    break;
            }
        }

        return ids;
    }

    public async Task<EmailLookup> ResolveAsync(IEnumerable<string> emails, RequestOptions options, CancellationToken cancellationToken)
    {
        var wanted = emails.Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var missing = Missing(wanted);
        if (missing.Count > individualLookupLimit && !_complete)
        {
            if (_total is null)
            {
                var first = await contacts.GetPageAsync(
                    new ContactsQuery { Status = ["all"], Limit = ConstantContactParameters.MaxPageSize, IncludeCount = true, Include = include ?? [] },
                    options,
                    cancellationToken).ConfigureAwait(false);
                _total = first.ContactsCount ?? long.MaxValue;
                _trail = new PageTrail(first, ConstantContactParameters.MaxPageSize);
                Add(first);
                missing = Missing(wanted);
            }

            var pagesLeft = (long)Math.Ceiling(Math.Max(0, _total.Value - _scanned) / (double)ConstantContactParameters.MaxPageSize);
            if (!_complete && pagesLeft < missing.Count)
            {
                while (_next is { } next)
                {
                    Add(await contacts.GetNextPageAsync(next, options, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        foreach (var email in Missing(wanted))
        {
            _byEmail[email] = _complete ? null : await FindAsync(email, options, cancellationToken).ConfigureAwait(false);
        }

        return new EmailLookup(_byEmail);
    }

    private async Task<ContactRef?> FindAsync(string email, RequestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await contacts.FindByEmailAsync(email, include ?? [], options, cancellationToken).ConfigureAwait(false) is { } found
                ? Ref(found)
                : null;
        }
        catch (AmbiguousContactException ambiguous)
        {
            return new ContactRef(string.Empty, false) { Ambiguity = ambiguous };
        }
        catch (BadRequestException)
        {
            // Not an address the API can search for: no contact has it.
            return null;
        }
    }

    private ContactRef Ref(ContactResource contact) => new(contact.ContactId, contact.IsDeleted, keepContacts ? contact : null);

    private List<string> Missing(List<string> wanted) => [.. wanted.Where(e => !_byEmail.ContainsKey(e))];

    private void Add(ContactsPage page)
    {
        foreach (var contact in page.Contacts)
        {
            if (contact.EmailAddress?.Trim() is not { Length: > 0 } email)
            {
                continue;
            }

            if (_byEmail.TryGetValue(email, out var known) && known is not null && !contact.IsDeleted && !known.IsDeleted)
            {
                var ids = known.Ambiguity is { } ambiguity ? [.. ambiguity.ContactIds, contact.ContactId] : new List<string> { known.ContactId, contact.ContactId };
                _byEmail[email] = known with { Ambiguity = new AmbiguousContactException(email, ids) };
            }
            else if (known is null || known.IsDeleted)
            {
                _byEmail[email] = Ref(contact);
            }
        }

        _scanned += page.Contacts.Count;
        _next = _trail!.Next(page);
        _complete = _next is null;
    }
}

/// <summary>What <see cref="ContactDirectory.ResolveAsync"/> found, by email (trimmed, case-insensitive).</summary>
internal sealed class EmailLookup(IReadOnlyDictionary<string, ContactRef?> byEmail)
{
    /// <summary>The contact with the address; null when none has it.</summary>
    public ContactRef? this[string email] => byEmail.TryGetValue(email.Trim(), out var found) ? found : null;

    public bool TryGetValue(string email, out ContactRef? found) => byEmail.TryGetValue(email.Trim(), out found);
}
