using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// The delete activity, one DELETE /contacts/{contact_id} per record (ids found by email first when needed). Deleting
/// is idempotent: a contact already deleted is written (DELETE answers 204) or, by email, skipped; for a record an
/// interrupted earlier run sent, an already deleted contact counts as written, whether found by email or by a 404.
/// A dry run finds the contacts in the dry run's account and counts the lookups (estimated) and one DELETE each.
/// </summary>
internal sealed class ContactDeleteSink(ConstantContactClient client, DeleteTargets targets) : ContactSink(client)
{
    protected override bool SendsEachRecord => true;

    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var toDelete = await targets.PreviewAsync(result, Account, WouldSend, options, cancellationToken).ConfigureAwait(false);
        if (targets.Check(toDelete.Count) is { } stop)
        {
            Stop(result, stop, "max_deletes");
            return;
        }

        foreach (var (index, contactId, contact) in toDelete)
        {
            WouldSend(1); // DELETE /contacts/{contact_id}
            if (contact is null)
            {
                result.Reject(index, $"contact {contactId} not found", "not_found");
                continue;
            }

            targets.Count(1);
            result.Deleted(index);
            Account.Deleted(contact);
        }
    }

    protected override async Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var toDelete = await targets.ResolveAsync(result, options, cancellationToken).ConfigureAwait(false);
        if (targets.Check(toDelete.Count) is { } stop)
        {
            Stop(result, stop, "max_deletes");
            return;
        }

        foreach (var (index, contactId) in toDelete)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await Client.Contacts.DeleteAsync(contactId, options, cancellationToken).ConfigureAwait(false);
                targets.Count(1);
                result.Deleted(index);
            }
            catch (NotFoundException)
            {
                if (result.MayHaveBeenWritten(index) && await DeleteTargets.IsDeletedAsync(Client.Contacts, contactId, options, cancellationToken).ConfigureAwait(false))
                {
                    result.Deleted(index); // the interrupted earlier run that sent this record deleted it
                }
                else
                {
                    result.Reject(index, $"contact {contactId} not found", "not_found");
                }
            }
            catch (ApiException refused) when (!refused.StopsOperation)
            {
                RejectRefused(result, index, refused);
            }
        }
    }
}
