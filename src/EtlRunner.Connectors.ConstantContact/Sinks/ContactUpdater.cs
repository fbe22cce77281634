using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// A partial update on top of a full-replace API: start from the contact as read, lay the record's fields over it,
/// and PUT the whole body, or nothing at all when the contact already holds every field.
/// </summary>
internal sealed class ContactUpdater(ContactsClient contacts, string updateSource)
{
    /// <summary>Updates the contact and accounts for the record: written, skipped (nothing to change) or rejected (gone since it was read).</summary>
    public async Task ApplyAsync(WriteResultBuilder result, int index, ContactResource existing, ContactChanges changes, RequestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (await UpdateAsync(existing, changes, options, cancellationToken).ConfigureAwait(false))
            {
                result.Written(index);
            }
            else
            {
                result.Skipped(index);
            }
        }
        catch (NotFoundException)
        {
            result.Reject(index, $"contact {existing.ContactId} not found", "not_found");
        }
    }

    /// <summary>True when the contact was written, false when it already held the record's values (nothing sent).</summary>
    public async Task<bool> UpdateAsync(ContactResource existing, ContactChanges changes, RequestOptions options, CancellationToken cancellationToken)
    {
        var current = (JsonObject)JsonNode.Parse(existing.Json.GetRawText())!;
        var wanted = (JsonObject)changes.Fields.DeepClone();
        var source = wanted[ConstantContactParameters.UpdateSource]?.GetValue<string>() ?? updateSource;
        wanted.Remove(ConstantContactParameters.UpdateSource);
        wanted.Remove(ConstantContactParameters.CreateSource);

        if (!existing.IsDeleted && wanted.All(p => RecordJson.Holds(current[p.Key], p.Value)))
        {
            return false;
        }

        var body = new JsonObject();
        foreach (var name in ContactFields.Core)
        {
            if (current[name] is { } value)
            {
                body[name] = name == ContactFields.EmailAddress ? WritableEmail(value) : value.DeepClone();
            }
        }

        foreach (var (name, value) in wanted)
        {
            body[name] = name == ContactFields.EmailAddress && value is JsonObject email && body[name] is JsonObject merged
                ? Merge(merged, email)
                : value?.DeepClone();
        }

        await contacts.UpdateAsync(existing.ContactId, new ContactUpdate(body, source), options, cancellationToken).ConfigureAwait(false);
        return true;
    }

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
