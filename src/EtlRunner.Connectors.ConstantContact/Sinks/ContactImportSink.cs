using System.Text;
using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// Bulk create and update: the batch goes out as contacts_json_import requests (at most 40,000 contacts and under
/// 4 MB each), each activity is polled to its end, and the rows its errors name are rejected. An import creates or
/// updates by email; for the update activity, emails with no contact are rejected first so nothing new is created.
/// <c>cf:&lt;name&gt;</c> keys name custom fields by label or name, resolved (or, with <c>create_missing</c>, created)
/// before the import, since the import only accepts a field that exists.
/// Being an upsert by email, an import is idempotent: records an interrupted earlier run sent
/// (<see cref="ISinkContext.MayHaveBeenWritten"/>) are imported again like the others, without a duplicate.
/// </summary>
internal sealed class ContactImportSink(
    ConstantContactClient client,
    IReadOnlyList<string> lists,
    bool createMissing,
    ContactDirectory? updateOnly,
    ActivityWaiter waiter,
    ILogger logger) : ContactSink(client)
{
    private readonly LookupCost _lookups = new(client.Tuning.IndividualLookupLimit);

    public override int? PreferredBatchSize => ContactsJsonImport.MaxContacts;

    protected override async Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var (listIds, rows) = await RowsAsync(result, options, cancellationToken).ConfigureAwait(false);
        if (updateOnly is not null)
        {
            var found = await updateOnly.ResolveAsync(rows.Where(r => r.Email is not null).Select(r => r.Email!), options, cancellationToken).ConfigureAwait(false);
            rows = await KeepExistingAsync(result, rows, email => Task.FromResult(found[email]), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in Chunk(rows))
        {
            ActivityStatus activity;
            try
            {
                activity = await Client.Activities.ImportContactsAsync(
                    new ContactsJsonImport([.. chunk.Select(r => r.Row)], listIds), options, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException refused) when (!refused.StopsOperation)
            {
                foreach (var row in chunk)
                {
                    RejectRefused(result, row.Index, refused);
                }

                continue;
            }

            activity = await waiter.WaitAsync(activity, "import", options, cancellationToken).ConfigureAwait(false);
            var errors = ActivityWaiter.AttributeErrors(activity.Errors, [.. chunk.Select(r => r.Email)]);
            if (errors.TryGetValue(-1, out var unattributed))
            {
                logger.LogWarning("Constant Contact import activity {Activity} reported errors that name no record: {Errors}", activity.ActivityId, string.Join(" | ", unattributed));
            }

            for (var position = 0; position < chunk.Count; position++)
            {
                var index = chunk[position].Index;
                if (errors.TryGetValue(position, out var messages))
                {
                    result.Reject(index, "the bulk import rejected the contact: " + string.Join("; ", messages), "import_error");
                }
                else if (activity.IsCompleted)
                {
                    result.Written(index); // created or updated: the activity's report does not say which
                }
                else
                {
                    result.Reject(index, $"the bulk import activity {activity.ActivityId} ended {activity.State}{(unattributed is null ? string.Empty : ": " + string.Join("; ", unattributed))}", "import_" + activity.State);
                }
            }
        }
    }

    /// <summary>
    /// The import rows of the batch, with the ids of the lists they join; the records that cannot be rows (a field the
    /// import does not take, a list or custom field the account lacks) are rejected.
    /// </summary>
    private async Task<(IReadOnlyList<string> ListIds, List<(int Index, JsonObject Row, string? Email)> Rows)> RowsAsync(
        WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        // list_ids may name lists: resolved once per run (the account's lists are read only when a name is given).
        var (listIds, unknownList) = lists.All(l => Guid.TryParse(l, out _))
            ? (lists, null)
            : await Client.Names.ResolveAllAsync(NamedKind.List, lists, createMissing, options, cancellationToken).ConfigureAwait(false);
        var rows = new List<(int Index, JsonObject Row, string? Email)>();
        for (var i = 0; i < result.Batch.Count; i++)
        {
            if (unknownList is not null)
            {
                result.Reject(i, $"list_ids: {unknownList}", ContactNameFields.Code(NamedKind.List));
                continue;
            }

            var (row, email, error) = ImportFields.From(result.Batch[i], acceptContactId: updateOnly is not null);
            if (row is null)
            {
                result.Reject(i, error!, "unknown_field");
            }
            else if (await ContactNameFields.ResolveImportKeysAsync(row, Client.Names, createMissing, options, cancellationToken).ConfigureAwait(false) is { } unknown)
            {
                result.Reject(i, unknown.Message, unknown.Code);
            }
            else
            {
                rows.Add((i, row, email));
            }
        }

        return (listIds, rows);
    }

    /// <summary>
    /// A bulk import previewed: each row the activity would take creates a contact or updates the one with its email
    /// (as the dry run's account has it), and a row that breaks the import's documented limits is rejected in the
    /// activity's words. Requests: per import activity its POST and <see cref="ActivityWaiter.EstimatedPolls"/> poll,
    /// and for the update activity the lookups of the emails (estimated).
    /// </summary>
    protected override async Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        var (_, rows) = await RowsAsync(result, options, cancellationToken).ConfigureAwait(false);
        var emails = rows.Select(r => r.Email).OfType<string>().ToList();
        await Account.LookUpAsync(emails, options, cancellationToken).ConfigureAwait(false);
        if (updateOnly is not null)
        {
            WouldSend(_lookups.Next(emails.Distinct(StringComparer.OrdinalIgnoreCase).Count(), Account.Total));
            rows = await KeepExistingAsync(result, rows, email => FindAsync(email, options, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        foreach (var chunk in Chunk(rows))
        {
            WouldSend(1 + ActivityWaiter.EstimatedPolls); // POST /activities/contacts_json_import, GET /activities/{activity_id}
            for (var position = 0; position < chunk.Count; position++)
            {
                var (index, row, email) = chunk[position];
                if (ImportFields.Refusals(row) is { Count: > 0 } refusals)
                {
                    var number = (position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    result.Reject(index, "the bulk import rejected the contact: " + string.Join("; ", refusals.Select(r => $"Row {number} {r}")), "import_error");
                }
                else if (email is not null && await FindAsync(email, options, cancellationToken).ConfigureAwait(false) is not null)
                {
                    result.Updated(index);
                }
                else
                {
                    result.Created(index);
                    Account.Created(new JsonObject { [ContactFields.EmailAddress] = new JsonObject { ["address"] = email }, ["first_name"] = row["first_name"]?.DeepClone(), ["last_name"] = row["last_name"]?.DeepClone() });
                    // Only the email and names: a later record of the dry run that updates this contact compares with those.
                }
            }
        }
    }

    /// <summary>The contact with the email in the dry run's account, as a directory entry (ambiguous when two live ones have it).</summary>
    private async Task<ContactRef?> FindAsync(string email, RequestOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await Account.FindByEmailAsync(email, options, cancellationToken).ConfigureAwait(false) is { } contact ? new ContactRef(contact.ContactId, contact.IsDeleted, contact) : null;
        }
        catch (AmbiguousContactException ambiguous)
        {
            return new ContactRef(string.Empty, false) { Ambiguity = ambiguous };
        }
    }

    private static async Task<List<(int Index, JsonObject Row, string? Email)>> KeepExistingAsync(
        WriteResultBuilder result, List<(int Index, JsonObject Row, string? Email)> rows, Func<string, Task<ContactRef?>> find, CancellationToken cancellationToken)
    {
        var kept = new List<(int, JsonObject, string?)>();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (row.Email is null)
            {
                result.Reject(row.Index, "a bulk update finds contacts by email, and the record has none", "no_identifier");
            }
            else if (await find(row.Email).ConfigureAwait(false) is not { } contact)
            {
                result.Reject(row.Index, $"no contact with email {row.Email}", "not_found");
            }
            else if (contact.Ambiguity is { } ambiguity)
            {
                result.Reject(row.Index, ambiguity.Message, "ambiguous");
            }
            else
            {
                kept.Add(row);
            }
        }

        return kept;
    }

    /// <summary>Splits rows into import requests of at most 40,000 contacts and under 4 MB of JSON.</summary>
    private static IEnumerable<List<(int Index, JsonObject Row, string? Email)>> Chunk(List<(int Index, JsonObject Row, string? Email)> rows)
    {
        var chunk = new List<(int, JsonObject, string?)>();
        var bytes = 0L;
        foreach (var row in rows)
        {
            var size = Encoding.UTF8.GetByteCount(row.Row.ToJsonString()) + 1;
            if (chunk.Count > 0 && (chunk.Count >= ContactsJsonImport.MaxContacts || bytes + size > ContactsJsonImport.MaxPayloadBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(row);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
