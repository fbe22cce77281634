using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// The update activity, one contact at a time: read it (GET /contacts/{id}, or GET /contacts?email= when the record
/// has no contact_id, with the sub-resources it changes), merge the record's fields, PUT the whole contact, or skip
/// it when nothing would change. Idempotent: a record an interrupted earlier run sent is simply read and merged again
/// (skipped, nothing sent, when that run's PUT already took effect). A dry run reads the contact from the dry run's
/// account instead and counts the GET and, when something changes, the PUT.
/// </summary>
internal sealed class ContactUpdateSink(ConstantContactClient client, string updateSource, bool createMissing) : ContactSink(client)
{
    private readonly ContactUpdater _updater = new(client.Contacts, updateSource);

    protected override bool SendsEachRecord => true;

    protected override Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken) =>
        ForEachRecordAsync(result, i => UpdateAsync(result, i, preview: false, options, cancellationToken), cancellationToken);

    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        await Account.LookUpAsync(result.Batch.Select(ContactFields.Identify).Where(n => n.ContactId is null).Select(n => n.Email).OfType<string>(), options, cancellationToken).ConfigureAwait(false);
        await ForEachRecordAsync(result, i => UpdateAsync(result, i, preview: true, options, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(WriteResultBuilder result, int index, bool preview, RequestOptions options, CancellationToken cancellationToken)
    {
        var (changes, problem) = ContactFields.ForUpdate(result.Batch[index]);
        if (changes is null)
        {
            result.Reject(index, problem!.Message, problem.Code);
            return;
        }

        if (await ContactNameFields.ResolveAsync(changes.Fields, Client.Names, createMissing, options, cancellationToken).ConfigureAwait(false) is { } unknown)
        {
            result.Reject(index, unknown.Message, unknown.Code);
            return;
        }

        ContactResource? existing;
        if (preview)
        {
            WouldSend(1); // GET /contacts/{contact_id} or GET /contacts?email=
            existing = await Account.FindAsync(changes.ContactId, changes.Email!, options, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            existing = changes.ContactId is { } id
                ? await Client.Contacts.GetAsync(id, changes.Include, options, cancellationToken).ConfigureAwait(false)
                : await Client.Contacts.FindByEmailAsync(changes.Email!, changes.Include, options, cancellationToken).ConfigureAwait(false);
        }

        if (existing is null)
        {
            result.Reject(index, changes.ContactId is { } missing ? $"contact {missing} not found" : $"no contact with email {changes.Email}", "not_found");
            return;
        }

        await (preview
            ? PreviewUpdateAsync(result, index, existing, changes, _updater, options, cancellationToken)
            : _updater.ApplyAsync(result, index, existing, changes, options, cancellationToken)).ConfigureAwait(false);
    }
}
