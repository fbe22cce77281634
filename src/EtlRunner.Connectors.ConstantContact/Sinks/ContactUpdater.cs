using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// What a record's update would do to a contact as read: the PUT to send (null when the contact already holds every
/// field and is not deleted), the record's fields whose value it changes, and the contact as the PUT leaves it.
/// </summary>
internal sealed record UpdatePlan(ContactUpdate? Update, IReadOnlyList<string> Changed, JsonObject After);

/// <summary>
/// A partial update on top of a full-replace API: start from the contact as read, lay the record's fields over it,
/// and PUT the whole body, or nothing at all when the contact already holds every field.
/// </summary>
internal sealed class ContactUpdater(ContactsClient contacts, string updateSource)
{
    /// <summary>Updates the contact and accounts for the record: updated, skipped (nothing to change) or rejected (gone since it was read).</summary>
    public async Task ApplyAsync(WriteResultBuilder result, int index, ContactResource existing, ContactChanges changes, RequestOptions options, CancellationToken cancellationToken)
    {
        var plan = Plan(existing, changes);
        if (plan.Update is null)
        {
            result.Unchanged(index);
            return;
        }

        try
        {
            await contacts.UpdateAsync(existing.ContactId, plan.Update, options, cancellationToken).ConfigureAwait(false);
            result.Updated(index, plan.Changed);
        }
        catch (NotFoundException)
        {
            result.Reject(index, $"contact {existing.ContactId} not found", "not_found");
        }
    }

    public UpdatePlan Plan(ContactResource existing, ContactChanges changes)
    {
        var current = (JsonObject)JsonNode.Parse(existing.Json.GetRawText())!;
        var wanted = (JsonObject)changes.Fields.DeepClone();
        var source = wanted[ConstantContactParameters.UpdateSource]?.GetValue<string>() ?? updateSource;
        wanted.Remove(ConstantContactParameters.UpdateSource);
        wanted.Remove(ConstantContactParameters.CreateSource);

        var changed = wanted.Where(p => !RecordJson.Holds(current[p.Key], p.Value)).Select(p => p.Key).ToList();
        if (!existing.IsDeleted && changed.Count == 0)
        {
            return new UpdatePlan(null, [], current);
        }

        var body = new JsonObject();
        foreach (var name in ContactFields.Core)
        {
            if (current[name] is { } value)
            {
                body[name] = name == ContactFields.EmailAddress ? WritableEmail(value) : value.DeepClone();
            }
        }

        var after = (JsonObject)current.DeepClone();
        foreach (var (name, value) in wanted)
        {
            body[name] = Over(body[name], name, value);
            after[name] = Over(after[name], name, value);
        }

        return new UpdatePlan(new ContactUpdate(body, source), changed, after);
    }

    /// <summary>The record's value of a field laid over the contact's: an email address merges into the contact's, any other replaces it.</summary>
    private static JsonNode? Over(JsonNode? current, string name, JsonNode? value) =>
        name == ContactFields.EmailAddress && value is JsonObject email && current is JsonObject merged
            ? Merge(merged, email)
            : value?.DeepClone();

    /// <summary>Only the writable parts of an email address (EmailAddressPut): its address and permission.</summary>
    private static JsonObject WritableEmail(JsonNode value)
    {
        var result = new JsonObject();
        foreach (var name in (string[])["address", "permission_to_send"])
        {
            if (value[name] is { } part)
            {
                result[name] = part.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject Merge(JsonObject target, JsonObject changes)
    {
        foreach (var (name, value) in changes)
        {
            target[name] = value?.DeepClone();
        }

        return target;
    }
}
