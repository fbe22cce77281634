using System.Text.Json;
using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// The account as one dry run sees it, shared by every previewing target of the connection: the contacts as read, with
/// what the run's earlier records would have changed laid over them (a contact the first operation would create is
/// there for the next one to update). Contacts are found by email through a <see cref="ContactDirectory"/> with every
/// sub-resource included: a few are looked up one by one (GET /contacts?email=), many make it read the whole account
/// once per run (GET /contacts, 500 a page) when that costs fewer requests; by id, one GET /contacts/{contact_id} each.
/// </summary>
internal sealed class PreviewAccount(ConstantContactClient client)
{
    private readonly ContactDirectory _directory = new(client.Contacts, client.Tuning.IndividualLookupLimit, keepContacts: true, include: ConstantContactParameters.IncludeValues);
    private readonly Dictionary<string, ContactResource?> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ContactResource?> _byId = new(StringComparer.OrdinalIgnoreCase);
    private int _created;

    public AccountNames Names => client.Names;

    /// <summary>The contacts in the account when the preview read its first page of them; null when it only looked up emails.</summary>
    public long? Total => _directory.Total;

    /// <summary>Finds the contacts of many emails at once, in as few requests as the directory can.</summary>
    public Task LookUpAsync(IEnumerable<string> emails, RequestOptions options, CancellationToken cancellationToken) =>
        _directory.ResolveAsync(emails.Where(e => !_byEmail.ContainsKey(e.Trim())), options, cancellationToken);

    /// <summary>The contact with the address (a live one before a deleted one); null when none has it.</summary>
    /// <exception cref="AmbiguousContactException">Two or more live contacts have it.</exception>
    public async Task<ContactResource?> FindByEmailAsync(string email, RequestOptions options, CancellationToken cancellationToken)
    {
        if (_byEmail.TryGetValue(email.Trim(), out var known))
        {
            return known;
        }

        var found = (await _directory.ResolveAsync([email], options, cancellationToken).ConfigureAwait(false))[email];
        return found?.Ambiguity is { } ambiguity ? throw ambiguity : found?.Contact;
    }

    /// <summary>The contact of id <paramref name="contactId"/> (deleted ones too); null when there is none.</summary>
    public async Task<ContactResource?> GetAsync(string contactId, RequestOptions options, CancellationToken cancellationToken)
    {
        if (!_byId.TryGetValue(contactId, out var known))
        {
            try
            {
                known = await client.Contacts.GetAsync(contactId, ConstantContactParameters.IncludeValues, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException refused) when (!refused.StopsOperation)
            {
                known = null; // not an id the API knows (400 for one that is not a UUID)
            }

            _byId[contactId] = known;
        }

        return known;
    }

    /// <summary>The contact the record's id or email names, as <see cref="GetAsync"/> or <see cref="FindByEmailAsync"/> finds it.</summary>
    public Task<ContactResource?> FindAsync(string? contactId, string email, RequestOptions options, CancellationToken cancellationToken) =>
        contactId is not null ? GetAsync(contactId, options, cancellationToken) : FindByEmailAsync(email, options, cancellationToken);

    /// <summary>
    /// The contacts that the batch's records at <paramref name="indexes"/> name, as <see cref="ContactDirectory.ContactIdsAsync"/>
    /// finds them for the real write: a record's contact_id as given (with the contact of that id, null when there is
    /// none), else the contact with its email; an unknown or ambiguous email is rejected, a deleted contact goes to
    /// <paramref name="deleted"/>.
    /// </summary>
    public async Task<List<(int Index, string ContactId, ContactResource? Contact)>> ContactsOfAsync(
        WriteResultBuilder result, IEnumerable<int> indexes, Action<int, ContactResource> deleted, RequestOptions options, CancellationToken cancellationToken)
    {
        var named = indexes.Select(i => (Index: i, Name: ContactFields.Identify(result.Batch[i]))).ToList();
        await LookUpAsync(named.Where(n => n.Name.ContactId is null).Select(n => n.Name.Email!), options, cancellationToken).ConfigureAwait(false);
        var found = new List<(int, string, ContactResource?)>();
        foreach (var (index, (id, email)) in named)
        {
            if (id is not null)
            {
                found.Add((index, id, await GetAsync(id, options, cancellationToken).ConfigureAwait(false)));
                continue;
            }

            ContactResource? contact;
            try
            {
                contact = await FindByEmailAsync(email!, options, cancellationToken).ConfigureAwait(false);
            }
            catch (AmbiguousContactException ambiguous)
            {
                result.Reject(index, ambiguous.Message, "ambiguous");
                continue;
            }

            if (contact is null)
            {
                result.Reject(index, $"no contact with email {email}", "not_found");
            }
            else if (contact.IsDeleted)
            {
                deleted(index, contact);
            }
            else
            {
                found.Add((index, contact.ContactId, contact));
            }
        }

        return found;
    }

    /// <summary>A contact the real run would create from <paramref name="body"/> (a POST /contacts body).</summary>
    public void Created(JsonObject body)
    {
        var contact = (JsonObject)body.DeepClone();
        contact["contact_id"] = $"(created earlier in this dry run, #{++_created})";
        Remember(contact);
    }

    /// <summary>The contact as the real run's PUT would leave it: <paramref name="after"/>, no longer deleted.</summary>
    public void Updated(JsonObject after)
    {
        var contact = (JsonObject)after.DeepClone();
        contact.Remove("deleted_at");
        Remember(contact);
    }

    /// <summary>The contact as the real run's delete would leave it: deleted, without its list memberships.</summary>
    public void Deleted(ContactResource contact)
    {
        var json = (JsonObject)JsonNode.Parse(contact.Json.GetRawText())!;
        json["deleted_at"] = "(deleted in this dry run)";
        json.Remove("list_memberships");
        Remember(json);
    }

    private void Remember(JsonObject json)
    {
        var contact = ContactResource.From(JsonElement.Parse(json.ToJsonString()));
        _byId[contact.ContactId] = contact;
        if (contact.EmailAddress?.Trim() is { Length: > 0 } email)
        {
            _byEmail[email] = contact;
        }
    }
}

/// <summary>
/// The requests a real write's own <see cref="ContactDirectory"/> would send to find a batch's emails, batch after
/// batch: one lookup per email, or the first page and then the rest of the account when that is cheaper. An estimate:
/// it takes none of the emails to be on the first page, nor found by an earlier batch.
/// </summary>
internal sealed class LookupCost(int individualLookupLimit)
{
    private const int PageSize = ConstantContactParameters.MaxPageSize;
    private bool _firstRead;
    private bool _complete;

    /// <summary>The requests for a batch of <paramref name="emails"/> distinct emails, in an account of <paramref name="total"/> contacts (null: unknown).</summary>
    public long Next(int emails, long? total)
    {
        if (_complete || emails == 0)
        {
            return 0;
        }

        if (emails <= individualLookupLimit)
        {
            return emails;
        }

        var cost = _firstRead ? 0 : 1;
        _firstRead = true;
        var pagesLeft = (long)Math.Ceiling(Math.Max(0, (total ?? long.MaxValue) - PageSize) / (double)PageSize);
        if (pagesLeft < emails)
        {
            _complete = true;
            return cost + pagesLeft;
        }

        return cost + emails;
    }
}
