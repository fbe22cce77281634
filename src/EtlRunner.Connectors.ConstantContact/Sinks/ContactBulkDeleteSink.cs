using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// Bulk delete: contact_delete activities of up to 500 contact ids, polled to their end; ids its errors name are
/// rejected, except an id that is there and already deleted for a record an interrupted earlier run sent: that one
/// counts as written (deleting is idempotent). A dry run finds the contacts in the dry run's account and counts the
/// lookups (estimated), and per activity its POST and <see cref="ActivityWaiter.EstimatedPolls"/> poll.
/// </summary>
internal sealed class ContactBulkDeleteSink(ConstantContactClient client, DeleteTargets targets, ActivityWaiter waiter, ILogger logger)
    : ContactSink(client)
{
    public override int? PreferredBatchSize => ContactDeleteRequest.MaxContacts;

    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var toDelete = await targets.PreviewAsync(result, Account, WouldSend, options, cancellationToken).ConfigureAwait(false);
        if (targets.Check(toDelete.Count) is { } stop)
        {
            Stop(result, stop, "max_deletes");
            return;
        }

        foreach (var chunk in toDelete.Chunk(ContactDeleteRequest.MaxContacts))
        {
            WouldSend(1 + ActivityWaiter.EstimatedPolls); // POST /activities/contact_delete, GET /activities/{activity_id}
            foreach (var (index, contactId, contact) in chunk)
            {
                if (contact is null)
                {
                    result.Reject(index, $"contact {contactId} was not deleted: contact_id {contactId} was not found.", "not_found");
                    continue;
                }

                targets.Count(1);
                result.Deleted(index);
                Account.Deleted(contact);
            }
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

        foreach (var chunk in toDelete.Chunk(ContactDeleteRequest.MaxContacts))
        {
            var ids = chunk.Select(t => t.ContactId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            ActivityStatus activity;
            try
            {
                activity = await Client.Activities.DeleteContactsAsync(new ContactDeleteRequest(ids), options, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException refused) when (!refused.StopsOperation)
            {
                foreach (var (index, _) in chunk)
                {
                    RejectRefused(result, index, refused);
                }

                continue;
            }

            activity = await waiter.WaitAsync(activity, "contact_delete", options, cancellationToken).ConfigureAwait(false);
            var errors = ActivityWaiter.AttributeErrors(activity.Errors, ids);
            if (errors.TryGetValue(-1, out var unattributed))
            {
                logger.LogWarning("Constant Contact contact_delete activity {Activity} reported errors that name no contact: {Errors}", activity.ActivityId, string.Join(" | ", unattributed));
            }

            var failed = errors.Where(e => e.Key >= 0).ToDictionary(e => ids[e.Key], e => e.Value, StringComparer.OrdinalIgnoreCase);
            foreach (var (index, contactId) in chunk)
            {
                if (failed.TryGetValue(contactId, out var messages))
                {
                    if (result.MayHaveBeenWritten(index) && await DeleteTargets.IsDeletedAsync(Client.Contacts, contactId, options, cancellationToken).ConfigureAwait(false))
                    {
                        result.Deleted(index); // already deleted, by the interrupted earlier run that sent this record
                    }
                    else
                    {
                        result.Reject(index, $"contact {contactId} was not deleted: {string.Join("; ", messages)}", "not_found");
                    }
                }
                else if (activity.IsCompleted)
                {
                    targets.Count(1);
                    result.Deleted(index);
                }
                else
                {
                    result.Reject(index, $"the bulk delete activity {activity.ActivityId} ended {activity.State}", "delete_" + activity.State);
                }
            }
        }
    }
}
