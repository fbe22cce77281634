using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// The update activity, one contact at a time: read it (GET /contacts/{id}, or GET /contacts?email= when the record
/// has no contact_id, with the sub-resources it changes), merge the record's fields, PUT the whole contact, or skip
/// it when nothing would change. Idempotent: a record an interrupted earlier run sent is simply read and merged again
/// (skipped, nothing sent, when that run's PUT already took effect).
/// </summary>
internal sealed class ContactUpdateSink(ConstantContactClient client, string updateSource, bool createMissing) : ContactSink(client)
{
    private readonly ContactUpdater _updater = new(client.Contacts, updateSource);

    protected override Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken) =>
        ForEachRecordAsync(result, i => UpdateAsync(result, i, options, cancellationToken), cancellationToken);

    private async Task UpdateAsync(WriteResultBuilder result, int index, RequestOptions options, CancellationToken cancellationToken)
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

        var existing = changes.ContactId is { } id
            ? await Client.Contacts.GetAsync(id, changes.Include, options, cancellationToken).ConfigureAwait(false)
            : await Client.Contacts.FindByEmailAsync(changes.Email!, changes.Include, options, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            result.Reject(index, changes.ContactId is { } missing ? $"contact {missing} not found" : $"no contact with email {changes.Email}", "not_found");
            return;
        }

        await _updater.ApplyAsync(result, index, existing, changes, options, cancellationToken).ConfigureAwait(false);
    }
}
