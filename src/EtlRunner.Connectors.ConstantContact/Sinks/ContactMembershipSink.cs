using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// add_to_lists, remove_from_lists, add_tags and remove_tags: each record names a contact (contact_id, else its email,
/// looked up exactly) and the lists or tags are the activity's <c>lists:</c> / <c>tags:</c> plus the record's own
/// <c>lists</c> / <c>tags</c> field, by name or id. Records with the same lists go together through one bulk
/// activity per 500 contacts, polled to its end; the contacts' other memberships are untouched. Sending one again is
/// harmless, so a record an interrupted earlier run sent is simply sent again. A record whose change went through
/// counts as an update of its contact (whether or not it was a member already: the activity does not say). A dry run
/// finds the contacts in the dry run's account and counts the lookups (estimated), and per activity its POST and
/// <see cref="ActivityWaiter.EstimatedPolls"/> poll.
/// </summary>
internal sealed class ContactMembershipSink(
    ConstantContactClient client,
    MembershipChange change,
    IReadOnlyList<string> names,
    bool createMissing,
    ContactDirectory directory,
    ActivityWaiter waiter,
    ILogger logger)
    : ContactSink(client)
{
    private readonly LookupCost _lookups = new(directory.IndividualLookupLimit);

    public override int? PreferredBatchSize => MembershipRequest.MaxContacts;

    private string Field => change.OfLists() ? ConstantContactParameters.Lists : ConstantContactParameters.Tags;

    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var targets = await TargetsAsync(result, options, cancellationToken).ConfigureAwait(false);
        var emails = targets.Keys.Select(i => ContactFields.Identify(result.Batch[i])).Where(n => n.ContactId is null)
            .Select(n => n.Email!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var contacts = await Account.ContactsOfAsync(result, targets.Keys, (index, contact) => RejectDeleted(result, index, contact.ContactId), options, cancellationToken).ConfigureAwait(false);
        WouldSend(_lookups.Next(emails, Account.Total));
        var groups = contacts.GroupBy(c => string.Join(',', targets[c.Index].Order(StringComparer.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in groups.SelectMany(g => g.Chunk(MembershipRequest.MaxContacts)))
        {
            WouldSend(1 + ActivityWaiter.EstimatedPolls); // POST /activities/{endpoint}, GET /activities/{activity_id}
            foreach (var (index, contactId, contact) in chunk)
            {
                if (contact is null)
                {
                    result.Reject(index, $"contact {contactId}: contact_id {contactId} was not found.", "not_changed");
                }
                else
                {
                    result.Updated(index, [Field]);
                    Account.Updated(Changed(contact, targets[index]));
                }
            }
        }
    }

    /// <summary>The contact as the activity leaves it: the lists or tags added to, or removed from, its own.</summary>
    private JsonObject Changed(ContactResource contact, IReadOnlyList<string> targetIds)
    {
        var json = (JsonObject)JsonNode.Parse(contact.Json.GetRawText())!;
        var name = change.OfLists() ? ContactNameFields.ListMemberships : ContactNameFields.Taggings;
        var have = (json[name] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>();
        var now = change is MembershipChange.AddToLists or MembershipChange.AddTags
            ? have.Union(targetIds, StringComparer.OrdinalIgnoreCase)
            : have.Except(targetIds, StringComparer.OrdinalIgnoreCase);
        json[name] = new JsonArray([.. now.Select(id => (JsonNode?)JsonValue.Create(id))]);
        return json;
    }

    protected override async Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var targets = await TargetsAsync(result, options, cancellationToken).ConfigureAwait(false);
        var contacts = await directory.ContactIdsAsync(result, targets.Keys, (index, contact) => RejectDeleted(result, index, contact.ContactId), options, cancellationToken).ConfigureAwait(false);
        var groups = contacts.GroupBy(c => string.Join(',', targets[c.Index].Order(StringComparer.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups)
        {
            foreach (var chunk in group.Chunk(MembershipRequest.MaxContacts))
            {
                if (result.StopIfAsked())
                {
                    return;
                }

                await SendAsync(result, chunk, targets[chunk[0].Index], options, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void RejectDeleted(WriteResultBuilder result, int index, string contactId) =>
        result.Reject(index, $"the contact with email {ContactFields.Identify(result.Batch[index]).Email} ({contactId}) is deleted: an update or import revives it first", "deleted");

    /// <summary>The list or tag ids of each record that names a contact and resolvable lists or tags; the others are rejected.</summary>
    private async Task<Dictionary<int, IReadOnlyList<string>>> TargetsAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var kind = change.Targets();
        var targets = new Dictionary<int, IReadOnlyList<string>>();
        for (var i = 0; i < result.Batch.Count; i++)
        {
            var record = result.Batch[i];
            var (id, email) = ContactFields.Identify(record);
            var wanted = names.Concat(RecordJson.TextList(record.GetValueOrDefault(Field))).ToList();
            if (id is null && email is null)
            {
                result.Reject(i, "the record has neither contact_id nor email_address, so no contact can be found", FieldProblem.NoIdentifier);
                continue;
            }

            if (wanted.Count == 0)
            {
                result.Reject(i, $"no {kind.Noun()}s given: set {Field}: on the activity or a {Field} field in the record", "no_" + Field);
                continue;
            }

            try
            {
                var (ids, problem) = await Client.Names.ResolveAllAsync(kind, wanted, createMissing, options, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    result.Reject(i, problem, ContactNameFields.Code(kind));
                }
                else if (ids.Count > MembershipRequest.MaxTargets)
                {
                    result.Reject(i, $"{ids.Count} {kind.Noun()}s: Constant Contact takes at most {MembershipRequest.MaxTargets} per request", "too_many_" + Field);
                }
                else
                {
                    targets[i] = ids;
                }
            }
            catch (ApiException refused) when (!refused.StopsOperation)
            {
                RejectRefused(result, i, refused);
            }
        }

        return targets;
    }

    private async Task SendAsync(WriteResultBuilder result, (int Index, string ContactId)[] chunk, IReadOnlyList<string> targetIds, RequestOptions options, CancellationToken cancellationToken)
    {
        var ids = chunk.Select(c => c.ContactId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        ActivityStatus activity;
        try
        {
            activity = await Client.Activities.ChangeMembershipsAsync(new MembershipRequest(change, ids, targetIds), options, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException refused) when (!refused.StopsOperation)
        {
            foreach (var (index, _) in chunk)
            {
                RejectRefused(result, index, refused);
            }

            return;
        }

        activity = await waiter.WaitAsync(activity, change.Endpoint(), options, cancellationToken).ConfigureAwait(false);
        var errors = ActivityWaiter.AttributeErrors(activity.Errors, ids);
        if (errors.TryGetValue(-1, out var unattributed))
        {
            logger.LogWarning("Constant Contact {Kind} activity {Activity} reported errors that name no contact: {Errors}", change.Endpoint(), activity.ActivityId, string.Join(" | ", unattributed));
        }

        var failed = errors.Where(e => e.Key >= 0).ToDictionary(e => ids[e.Key], e => e.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (index, contactId) in chunk)
        {
            if (failed.TryGetValue(contactId, out var messages))
            {
                result.Reject(index, $"contact {contactId}: {string.Join("; ", messages)}", "not_changed");
            }
            else if (activity.IsCompleted)
            {
                result.Updated(index, [Field]);
            }
            else
            {
                result.Reject(index, $"the {change.Endpoint()} activity {activity.ActivityId} ended {activity.State}", change.Endpoint() + "_" + activity.State);
            }
        }
    }
}
