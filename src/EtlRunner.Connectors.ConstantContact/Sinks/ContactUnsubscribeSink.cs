using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// unsubscribe: each record names a contact (contact_id, else its email, looked up exactly); the contact is read once
/// and written once (PUT) with <c>email_address.permission_to_send: unsubscribed</c> and the record's
/// <c>opt_out_reason</c> if it has one, everything else kept, list memberships included. A contact already
/// unsubscribed (with that reason) is skipped. Unlike delete, the contact stays in the account, and no later import,
/// create or sign-up form mails it again until the person opts back in. A dry run reads the contact from the dry
/// run's account and counts the GET and, unless it is skipped, the PUT.
/// </summary>
internal sealed class ContactUnsubscribeSink(ConstantContactClient client, string updateSource) : ContactSink(client)
{
    public const string OptOutReason = "opt_out_reason";

    private readonly ContactUpdater _updater = new(client.Contacts, updateSource);

    protected override bool SendsEachRecord => true;

    protected override Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken) =>
        ForEachRecordAsync(result, i => UnsubscribeAsync(result, i, preview: false, options, cancellationToken), cancellationToken);

    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        await Account.LookUpAsync(result.Batch.Select(ContactFields.Identify).Where(n => n.ContactId is null).Select(n => n.Email).OfType<string>(), options, cancellationToken).ConfigureAwait(false);
        await ForEachRecordAsync(result, i => UnsubscribeAsync(result, i, preview: true, options, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task UnsubscribeAsync(WriteResultBuilder result, int index, bool preview, RequestOptions options, CancellationToken cancellationToken)
    {
        var record = result.Batch[index];
        var (id, email) = ContactFields.Identify(record);
        if (id is null && email is null)
        {
            result.Reject(index, "the record has neither contact_id nor email_address, so no contact can be found to unsubscribe", FieldProblem.NoIdentifier);
            return;
        }

        if (preview)
        {
            WouldSend(1); // GET /contacts/{contact_id} or GET /contacts?email=
        }

        var existing = preview ? await Account.FindAsync(id, email!, options, cancellationToken).ConfigureAwait(false)
            : id is not null ? await Client.Contacts.GetAsync(id, [], options, cancellationToken).ConfigureAwait(false)
            : await Client.Contacts.FindByEmailAsync(email!, [], options, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            result.Reject(index, id is not null ? $"contact {id} not found" : $"no contact with email {email}", "not_found");
            return;
        }

        if (existing.EmailAddress is null)
        {
            result.Reject(index, $"contact {existing.ContactId} has no email address, so there is no email permission to withdraw", "no_email");
            return;
        }

        var permission = new JsonObject { ["permission_to_send"] = "unsubscribed" };
        if (RecordJson.ScalarText(record.GetValueOrDefault(OptOutReason))?.Trim() is { Length: > 0 } reason)
        {
            permission[OptOutReason] = reason;
        }

        var changes = new ContactChanges(new JsonObject { [ContactFields.EmailAddress] = permission }, existing.ContactId, existing.EmailAddress);
        await (preview
            ? PreviewUpdateAsync(result, index, existing, changes, _updater, options, cancellationToken)
            : _updater.ApplyAsync(result, index, existing, changes, options, cancellationToken)).ConfigureAwait(false);
    }
}
