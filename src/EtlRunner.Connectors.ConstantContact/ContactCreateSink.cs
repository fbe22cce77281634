using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The create activity, one POST /contacts per record. No lookup before a POST: a duplicate answers 409 and is
/// handled per <c>on_conflict</c>. A POST whose answer was lost is not sent again blindly: the contact is looked up
/// by email first, and counts as written when it is there with our data.
/// </summary>
internal sealed class ContactCreateSink(ConstantContactClient client, string createSource, string onConflict, int maxRetries, TimeProvider time)
    : ContactSink(client)
{
    private readonly ContactUpdater _updater = new(client.Contacts, createSource);

    protected override Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken) =>
        ForEachRecordAsync(
            result,
            i =>
            {
                var (changes, error) = ContactFields.ForCreate(result.Batch[i]);
                if (changes is null)
                {
                    result.Reject(i, error!, "unknown_field");
                    return Task.CompletedTask;
                }

                return CreateAsync(result, i, changes, options, cancellationToken);
            },
            cancellationToken);

    private async Task CreateAsync(WriteResultBuilder result, int index, ContactChanges changes, RequestOptions options, CancellationToken cancellationToken)
    {
        var contact = new NewContact(changes.Fields, createSource);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Client.Contacts.CreateAsync(contact, options, cancellationToken).ConfigureAwait(false);
                result.Written(index);
                return;
            }
            catch (ConflictException conflict)
            {
                await ResolveConflictAsync(result, index, changes, conflict.ErrorText, conflict.ErrorKey, options, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (UnknownOutcomeException lost)
            {
                if (changes.Email is not { } email)
                {
                    result.Reject(index, lost.Message + "; the record has no email address to check whether the contact exists, so it was not sent again (that could create a duplicate)", "unknown_outcome");
                    return;
                }

                if (attempt >= maxRetries)
                {
                    throw lost.InnerException as ConstantContactException ?? lost;
                }

                options.ReportWaiting?.Invoke($"the answer to POST /contacts for {email} was lost; checking whether the contact was created");
                var found = await Client.Contacts.FindByEmailAsync(email, [], options, cancellationToken).ConfigureAwait(false);
                options.ReportWaiting?.Invoke(null);
                if (found is not null)
                {
                    if (ContactFields.Matches(found, changes))
                    {
                        result.Written(index);
                    }
                    else
                    {
                        await ResolveConflictAsync(result, index, changes, $"Email already exists for contact {found.ContactId}", "contacts.api.conflict", options, cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }

                // Not there: the first POST never took effect, so sending it again cannot duplicate it. Back off first.
                await Task.Delay(Client.Tuning.RetryBaseDelay * Math.Pow(2, attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ResolveConflictAsync(
        WriteResultBuilder result, int index, ContactChanges changes, string message, string? errorKey, RequestOptions options, CancellationToken cancellationToken)
    {
        switch (onConflict)
        {
            case "skip":
                result.Skipped(index);
                return;
            case "update" when changes.Email is { } email:
                var existing = await Client.Contacts.FindByEmailAsync(email, changes.Include, options, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    result.Reject(index, $"Constant Contact answered 409 ({message}) but no contact with email {email} could be found to update", errorKey ?? "conflict");
                    return;
                }

                try
                {
                    if (await _updater.UpdateAsync(existing, changes, options, cancellationToken).ConfigureAwait(false))
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

                return;
            default:
                result.Reject(index, $"{message} (on_conflict: fail; set on_conflict: skip or update to accept existing contacts)", errorKey ?? "conflict");
                return;
        }
    }
}
