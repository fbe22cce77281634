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
    public override int? PreferredBatchSize => ContactsJsonImport.MaxContacts;

    protected override async Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken)
    {
        // list_ids may name lists: resolved once per run (the account's lists are read only when a name is given).
        var (listIds, unknownList) = lists.All(l => Guid.TryParse(l, out _))
            ? (lists, null)
            : await Client.Names.ResolveAllAsync(NamedKind.List, lists, createMissing, options, cancellationToken).ConfigureAwait(false);
        if (unknownList is not null)
        {
            for (var i = 0; i < result.Batch.Count; i++)
            {
                result.Reject(i, $"list_ids: {unknownList}", ContactNameFields.Code(NamedKind.List));
            }

            return;
        }

        var rows = new List<(int Index, JsonObject Row, string? Email)>();
        for (var i = 0; i < result.Batch.Count; i++)
        {
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

        if (updateOnly is not null)
        {
            rows = await KeepExistingAsync(result, rows, updateOnly, options, cancellationToken).ConfigureAwait(false);
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
                    result.Written(index);
                }
                else
                {
                    result.Reject(index, $"the bulk import activity {activity.ActivityId} ended {activity.State}{(unattributed is null ? string.Empty : ": " + string.Join("; ", unattributed))}", "import_" + activity.State);
                }
            }
        }
    }

    private static async Task<List<(int Index, JsonObject Row, string? Email)>> KeepExistingAsync(
        WriteResultBuilder result, List<(int Index, JsonObject Row, string? Email)> rows, ContactDirectory directory, RequestOptions options, CancellationToken cancellationToken)
    {
        var found = await directory.ResolveAsync(rows.Where(r => r.Email is not null).Select(r => r.Email!), options, cancellationToken).ConfigureAwait(false);
        var kept = new List<(int, JsonObject, string?)>();
        foreach (var row in rows)
        {
            if (row.Email is null)
            {
                result.Reject(row.Index, "a bulk update finds contacts by email, and the record has none", "no_identifier");
            }
            else if (found[row.Email] is not { } contact)
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
