using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// The create activity's dry run: each record is checked as the POST would be (the API's documented rules, then whether
/// the email exists, deleted contacts too) and handled per <c>on_conflict</c> as the real write handles a 409. Requests
/// the real write would send: one POST per record that gets that far, plus, on a conflict, the lookup by email of
/// <c>on_conflict: fail</c> or <c>update</c> and the PUT of an update that changes something.
/// </summary>
internal sealed partial class ContactCreateSink
{
    protected override bool SendsEachRecord => true;

    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var emails = result.Batch.Select(r => ContactFields.Identify(r).Email).OfType<string>();
        await Account.LookUpAsync(emails, options, cancellationToken).ConfigureAwait(false);
        await ForEachRecordAsync(result, i => PreviewAsync(result, i, options, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task PreviewAsync(WriteResultBuilder result, int index, RequestOptions options, CancellationToken cancellationToken)
    {
        var (changes, problem) = ContactFields.ForCreate(result.Batch[index]);
        if (changes is null)
        {
            result.Reject(index, problem!.Message, problem.Code);
            return;
        }

        if (await ContactNameFields.ResolveAsync(changes.Fields, Client.Names, sinkOptions.CreateMissing, options, cancellationToken).ConfigureAwait(false) is { } unknown)
        {
            result.Reject(index, unknown.Message, unknown.Code);
            return;
        }

        WouldSend(1); // POST /contacts
        var body = new NewContact(changes.Fields, sinkOptions.CreateSource).Body();
        if (await RefusalAsync(body, isPut: false, options, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            result.Reject(index, refused, ValidationKey);
            return;
        }

        var existing = changes.Email is { } email ? await Account.FindByEmailAsync(email, options, cancellationToken).ConfigureAwait(false) : null;
        if (existing is null)
        {
            result.Created(index);
            Account.Created(body);
            return;
        }

        var conflict = ConflictText(existing);
        switch (sinkOptions.OnConflict)
        {
            case OnConflict.Skip:
                result.Skipped(index, "on_conflict: skip: " + conflict);
                return;
            case OnConflict.Update:
                WouldSend(1); // GET /contacts?email=
                await PreviewUpdateAsync(result, index, existing, changes, _updater, options, cancellationToken).ConfigureAwait(false);
                return;
            default:
                WouldSend(1); // GET /contacts?email=, to tell a contact an earlier run created with this data from someone else's
                if (!existing.IsDeleted && ContactFields.Matches(existing, changes))
                {
                    result.Created(index);
                    return;
                }

                result.Reject(index, $"{conflict} (on_conflict: fail; set on_conflict: skip or update to accept existing contacts)", "contacts.api.conflict");
                return;
        }
    }
}
