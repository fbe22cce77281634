using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// The create activity, one POST /contacts per record. No lookup before a POST: a duplicate answers 409 and is
/// handled per <c>on_conflict</c>. A POST whose answer was lost is not sent again blindly: the contact is looked up
/// by email first, and counts as written when it is there with our data.
/// </summary>
/// <remarks>
/// The same check covers a record that an interrupted earlier run sent without seeing the answer (the write ledger
/// flags it, <see cref="WriteResultBuilder.MayHaveBeenWritten"/>): before its POST the contact is looked up by email
/// (for several such records at once, the contact list may be read instead, whichever takes fewer requests). There
/// with our data: written, nothing sent, so our own earlier attempt never comes back as a 409. There with other data:
/// <c>on_conflict</c> decides, as for a 409. Not there: POSTed as usual.
/// </remarks>
internal sealed partial class ContactCreateSink(ConstantContactClient client, ConstantContactSinkOptions sinkOptions)
    : ContactSink(client)
{
    private readonly ContactUpdater _updater = new(client.Contacts, sinkOptions.CreateSource);

    protected override async Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var changes = new ContactChanges?[result.Batch.Count];
        for (var i = 0; i < changes.Length; i++)
        {
            var (read, problem) = ContactFields.ForCreate(result.Batch[i]);
            if (read is null)
            {
                result.Reject(i, problem!.Message, problem.Code);
            }

            changes[i] = read;
        }

        var earlier = await FindEarlierAttemptsAsync(result, changes, options, cancellationToken).ConfigureAwait(false);
        await ForEachRecordAsync(
            result,
            i => changes[i] is { } record ? WriteAsync(result, i, record, earlier, options, cancellationToken) : Task.CompletedTask,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Looks up, in as few requests as possible, the contacts of the records an interrupted earlier run may have
    /// created; null when there are none, or when the lookup failed (each record is then looked up on its own).
    /// </summary>
    private async Task<EmailLookup?> FindEarlierAttemptsAsync(
        WriteResultBuilder result, ContactChanges?[] changes, RequestOptions options, CancellationToken cancellationToken)
    {
        var emails = changes
            .Select((c, i) => result.MayHaveBeenWritten(i) ? c?.Email : null)
            .OfType<string>()
            .ToList();
        if (emails.Count == 0)
        {
            return null;
        }

        options.ReportWaiting?.Invoke(System.FormattableString.Invariant(
            $"checking whether {emails.Count} contact(s) sent by an interrupted earlier run were created"));
        try
        {
            var directory = new ContactDirectory(Client.Contacts, Client.Tuning.IndividualLookupLimit, keepContacts: true);
            return await directory.ResolveAsync(emails, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ConstantContactException refused) when (!refused.StopsOperation)
        {
            return null;
        }
        finally
        {
            options.ReportWaiting?.Invoke(null);
        }
    }

    private async Task WriteAsync(
        WriteResultBuilder result,
        int index,
        ContactChanges changes,
        EmailLookup? earlier,
        RequestOptions options,
        CancellationToken cancellationToken)
    {
        if (await ContactNameFields.ResolveAsync(changes.Fields, Client.Names, sinkOptions.CreateMissing, options, cancellationToken).ConfigureAwait(false) is { } unknown)
        {
            result.Reject(index, unknown.Message, unknown.Code);
            return;
        }

        if (result.MayHaveBeenWritten(index))
        {
            if (changes.Email is not { } email)
            {
                result.Reject(index, "an interrupted earlier run sent this record without seeing the answer, and the record has no email address to check whether the contact exists, so it was not sent again (that could create a duplicate)", "unknown_outcome");
                return;
            }

            if (earlier is not null && earlier.TryGetValue(email, out var known) && known?.Ambiguity is { } ambiguity)
            {
                throw ambiguity;
            }

            var found = earlier is not null && earlier.TryGetValue(email, out known)
                ? known?.Contact
                : await Client.Contacts.FindByEmailAsync(email, [], options, cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                await AcceptExistingAsync(result, index, changes, found, "an interrupted earlier run sent this record; a contact with its email already exists", options, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        await CreateAsync(result, index, changes, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A contact with the record's email exists after a POST whose outcome we could not see: ours when it holds the
    /// record's data (written); otherwise someone else's, handled per on_conflict like a 409.
    /// </summary>
    private Task AcceptExistingAsync(
        WriteResultBuilder result, int index, ContactChanges changes, ContactResource found, string context, RequestOptions options, CancellationToken cancellationToken)
    {
        if (!found.IsDeleted && ContactFields.Matches(found, changes))
        {
            result.Created(index);
            return Task.CompletedTask;
        }

        var state = found.IsDeleted ? "deleted" : "with other data";
        return ResolveConflictAsync(
            result, index, changes, $"Email already exists for contact {found.ContactId} ({state}; {context})", "contacts.api.conflict", options, cancellationToken);
    }

    private async Task CreateAsync(WriteResultBuilder result, int index, ContactChanges changes, RequestOptions options, CancellationToken cancellationToken)
    {
        var contact = new NewContact(changes.Fields, sinkOptions.CreateSource);
        ContactResource? found;
        try
        {
            found = await Client.Connection.RepeatAsync(ct => PostOrFindAsync(contact, changes, options, ct), options, cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException conflict)
        {
            if (sinkOptions.OnConflict == OnConflict.Fail && changes.Email is { } existing
                && await Client.Contacts.FindByEmailAsync(existing, [], options, cancellationToken).ConfigureAwait(false) is { IsDeleted: false } same
                && ContactFields.Matches(same, changes))
            {
                result.Created(index); // the contact is there with the record's data: an earlier run whose ledger is lost created it
                return;
            }

            await ResolveConflictAsync(result, index, changes, conflict.ErrorText, conflict.ErrorKey, options, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (UnknownOutcomeException lost)
        {
            result.Reject(index, lost.Message + "; the record has no email address to check whether the contact exists, so it was not sent again (that could create a duplicate)", "unknown_outcome");
            return;
        }

        if (found is null)
        {
            result.Created(index);
            return;
        }

        await AcceptExistingAsync(result, index, changes, found, "found by email after the answer to its POST was lost", options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One POST /contacts: null when it created the contact. When its answer was lost, the contact is looked up by
    /// email: found, it is returned; not there, the POST never took effect and <see cref="NotTakenException"/> has it
    /// sent again (after the retry policy's backoff).
    /// </summary>
    private async Task<ContactResource?> PostOrFindAsync(NewContact contact, ContactChanges changes, RequestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Contacts.CreateAsync(contact, options, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (UnknownOutcomeException lost) when (changes.Email is { } email)
        {
            options.ReportWaiting?.Invoke($"the answer to POST /contacts for {email} was lost; checking whether the contact was created");
            var found = await Client.Contacts.FindByEmailAsync(email, [], options, cancellationToken).ConfigureAwait(false);
            options.ReportWaiting?.Invoke(null);
            return found ?? throw new NotTakenException(lost);
        }
    }

    private async Task ResolveConflictAsync(
        WriteResultBuilder result, int index, ContactChanges changes, string message, string? errorKey, RequestOptions options, CancellationToken cancellationToken)
    {
        switch (sinkOptions.OnConflict)
        {
            case OnConflict.Skip:
                result.Skipped(index, "on_conflict: skip: " + message);
                return;
            case OnConflict.Update when changes.Email is { } email:
                var existing = await Client.Contacts.FindByEmailAsync(email, changes.Include, options, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    result.Reject(index, $"Constant Contact answered 409 ({message}) but no contact with email {email} could be found to update", errorKey ?? "conflict");
                    return;
                }

                await _updater.ApplyAsync(result, index, existing, changes, options, cancellationToken).ConfigureAwait(false);
                return;
            default:
                result.Reject(index, $"{message} (on_conflict: fail; set on_conflict: skip or update to accept existing contacts)", errorKey ?? "conflict");
                return;
        }
    }
}
