using System.Globalization;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// What a delete batch will delete: each record's contact_id, or the id found for its email (an unknown email is
/// rejected, an already deleted contact skipped, or counted as written when an interrupted earlier run sent that
/// record), and the <c>max_deletes</c> guard over the whole operation.
/// </summary>
internal sealed class DeleteTargets(ContactDirectory directory, long? maxDeletes)
{
    private readonly LookupCost _lookups = new(directory.IndividualLookupLimit);
    private long _deleted;

    /// <summary>The records to delete as (index, contact_id); records that need no delete are already accounted for.</summary>
    public async Task<IReadOnlyList<(int Index, string ContactId)>> ResolveAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var named = result.Batch.Select((record, index) => (Index: index, Name: ContactFields.Identify(record))).ToList();
        foreach (var (index, _) in named.Where(n => n.Name.ContactId is null && n.Name.Email is null))
        {
            result.Reject(index, "the record has neither contact_id nor email_address, so no contact can be found to delete", "no_identifier");
        }

        return await directory.ContactIdsAsync(
            result,
            named.Where(n => n.Name.ContactId is not null || n.Name.Email is not null).Select(n => n.Index),
            (index, _) =>
            {
                if (result.MayHaveBeenWritten(index))
                {
                    result.Deleted(index); // the interrupted earlier run that sent this record deleted it
                }
                else
                {
                    result.Unchanged(index, "the contact is already deleted");
                }
            },
            options,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// In a dry run: the records the real write would delete, found in the dry run's account, as (index, contact_id,
    /// the contact; null when no contact has that id); the others are accounted for as <see cref="ResolveAsync"/> does.
    /// The lookups the real write would send are counted with <paramref name="wouldSend"/>.
    /// </summary>
    public async Task<List<(int Index, string ContactId, ContactResource? Contact)>> PreviewAsync(
        WriteResultBuilder result, PreviewAccount account, Action<long> wouldSend, RequestOptions options, CancellationToken cancellationToken)
    {
        var named = result.Batch.Select((record, index) => (Index: index, Name: ContactFields.Identify(record))).ToList();
        foreach (var (index, _) in named.Where(n => n.Name.ContactId is null && n.Name.Email is null))
        {
            result.Reject(index, "the record has neither contact_id nor email_address, so no contact can be found to delete", "no_identifier");
        }

        var emails = named.Where(n => n.Name.ContactId is null && n.Name.Email is not null).Select(n => n.Name.Email!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var found = await account.ContactsOfAsync(
            result,
            named.Where(n => n.Name.ContactId is not null || n.Name.Email is not null).Select(n => n.Index),
            (index, _) => result.Unchanged(index, "the contact is already deleted"),
            options,
            cancellationToken).ConfigureAwait(false);
        wouldSend(_lookups.Next(emails, account.Total));
        return found;
    }

    /// <summary>The stop reason when deleting <paramref name="count"/> more contacts would pass max_deletes; null when allowed.</summary>
    public string? Check(int count) =>
        maxDeletes is { } max && _deleted + count > max
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"max_deletes ({max}) reached: this operation would delete more than {max} contacts ({_deleted} deleted so far, {count} more in this batch), so it stopped before deleting them; raise max_deletes to allow more")
            : null;

    public void Count(int deleted) => _deleted += deleted;

    /// <summary>
    /// Whether the contact is there and deleted (GET /contacts/{contact_id}): for a record an interrupted earlier run
    /// sent, a delete that now answers "not found" may only mean that the earlier attempt deleted it.
    /// </summary>
    public static async Task<bool> IsDeletedAsync(ContactsClient contacts, string contactId, RequestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await contacts.GetAsync(contactId, [], options, cancellationToken).ConfigureAwait(false) is { IsDeleted: true };
        }
        catch (ApiException refused) when (!refused.StopsOperation)
        {
            return false;
        }
    }
}
