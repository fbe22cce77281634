using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// What every Constant Contact target shares: a batch is accounted record by record; a fault that no later record
/// can survive (quota, credentials, a service that keeps failing) stops the operation, rejects what is left with the
/// reason, and every later batch is rejected at once without a request. Created for a dry run (its client
/// <see cref="ConstantContactClient.EnterPreview"/>), a target previews instead: it sends only GET requests, accounts for
/// each record as the real write would, and counts the requests the real write would send.
/// </summary>
internal abstract class ContactSink(ConstantContactClient client) : ISink
{
    /// <summary>The error key of a 400 the API answers for a body that breaks its rules.</summary>
    protected const string ValidationKey = "contacts.api.validation.error";

    private readonly PreviewAccount? _account = client.Preview;
    private string? _stopReason;
    private long _previewRequests;

    protected ConstantContactClient Client { get; } = client;

    public virtual int? PreferredBatchSize => null;

    public bool CanPreview => true;

    /// <summary>In a dry run: the requests the real write would have sent for the batches previewed so far (bulk activities' polls estimated).</summary>
    public long? PreviewRequests => _account is null ? null : _previewRequests;

    /// <summary>The dry run's account; only a preview uses it.</summary>
    protected PreviewAccount Account => _account ?? throw new InvalidOperationException("only a dry run's target previews");

    /// <summary>True for a target that sends record by record: it reports each record done as it goes (<see cref="ISinkContext.ReportDone"/>).</summary>
    protected virtual bool SendsEachRecord => false;

    public async ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        var result = new WriteResultBuilder(batch, context, preview: _account is not null, reportEach: SendsEachRecord);
        if (_stopReason is not null)
        {
            result.Stop(_stopReason, "stopped");
            return result.Build();
        }

        var names = Client.Names.RealRunRequests;
        try
        {
            var options = new RequestOptions(context.ReportWaiting);
            await (_account is null ? WriteBatchAsync(result, options, cancellationToken) : PreviewBatchAsync(result, options, cancellationToken)).ConfigureAwait(false);
        }
        catch (ConstantContactException exception) when (exception.StopsOperation)
        {
            _stopReason = exception.Message;
            result.Stop(exception.Message, StopCode(exception));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && result.AnyDone)
        {
            // Stopped half-way (Ctrl+C, options.timeout, max_rejects): what was written stays counted as written, and
            // only the rest is rejected (the contract: throw only when nothing of the batch was written).
            result.Stop("not written: the operation stopped before Constant Contact confirmed this record", "stopped");
        }
        finally
        {
            context.ReportWaiting(null);
            _previewRequests += Client.Names.RealRunRequests - names;
        }

        return result.Build();
    }

    /// <summary>The contacts in the account (GET /contacts?limit=1&amp;include_count=true: every contact that is not deleted).</summary>
    public async ValueTask<long?> CountAsync(CancellationToken cancellationToken) =>
        (await Client.Contacts.GetPageAsync(new ContactsQuery { Limit = 1, IncludeCount = true }, RequestOptions.Default, cancellationToken).ConfigureAwait(false)).ContactsCount;

    /// <summary>The account has a contact (any status, deleted ones too): one request for a page of one.</summary>
    public async ValueTask<bool> HoldsDataAsync(CancellationToken cancellationToken)
    {
        var page = await Client.Contacts.GetPageAsync(new ContactsQuery { Status = ["all"], Limit = 1 }, RequestOptions.Default, cancellationToken).ConfigureAwait(false);
        return page.Contacts.Count > 0;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Writes the batch, accounting each record in <paramref name="result"/>; throws a stopping exception to end the operation.</summary>
    protected abstract Task WriteBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Accounts for each record as the real write would, changing nothing (GET requests only), and counts with
    /// <see cref="WouldSend"/> the requests the real write would send.
    /// </summary>
    protected abstract Task PreviewBatchAsync(WriteResultBuilder result, RequestOptions options, CancellationToken cancellationToken);

    /// <summary>In a preview: the real write would send <paramref name="requests"/> more requests.</summary>
    protected void WouldSend(long requests) => _previewRequests += requests;

    /// <summary>
    /// Why the API would refuse <paramref name="body"/> (a POST or PUT /contacts body), as the real write's reject gives
    /// it: its documented rules, then the lists and custom fields it names (the account's, read once per run); null when
    /// it would take it.
    /// </summary>
    protected async Task<string?> RefusalAsync(System.Text.Json.Nodes.JsonObject body, bool isPut, RequestOptions options, CancellationToken cancellationToken)
    {
        var errors = ContactRequestRules.Check(body, isPut);
        if (errors.Count == 0)
        {
            foreach (var (kind, id) in ContactRequestRules.References(body))
            {
                if (!await Client.Names.HasIdAsync(kind, id, options, cancellationToken).ConfigureAwait(false))
                {
                    errors.Add(ContactRequestRules.Unknown(kind, id));
                }
            }
        }

        return errors.Count > 0 ? Refused(400, string.Join("; ", errors)) : null;
    }

    /// <summary>
    /// Previews the update of a contact as read: skipped when it holds the record already, else a PUT that the API
    /// would take (updated, with the fields that change) or refuse (its rules, another contact's email).
    /// </summary>
    protected async Task PreviewUpdateAsync(
        WriteResultBuilder result, int index, ContactResource existing, ContactChanges changes, ContactUpdater updater, RequestOptions options, CancellationToken cancellationToken)
    {
        var plan = updater.Plan(existing, changes);
        if (plan.Update is null)
        {
            result.Unchanged(index);
            return;
        }

        WouldSend(1); // PUT /contacts/{contact_id}
        var body = plan.Update.Body();
        if (await RefusalAsync(body, isPut: true, options, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            result.Reject(index, refused, ValidationKey);
            return;
        }

        if (body[ContactFields.EmailAddress]?["address"]?.GetValue<string>() is { } address
            && !ContactsClient.SameEmail(address, existing.EmailAddress)
            && await Account.FindByEmailAsync(address, options, cancellationToken).ConfigureAwait(false) is { } other
            && other.ContactId != existing.ContactId)
        {
            result.Reject(index, Refused(409, ConflictText(other)), "contacts.api.conflict");
            return;
        }

        result.Updated(index, plan.Changed);
        Account.Updated(plan.After);
    }

    /// <summary>The API's message for an email that another contact (deleted ones too) already has.</summary>
    protected static string ConflictText(ContactResource existing) => $"Validation failed: Email already exists for contact {existing.ContactId}";

    /// <summary>Stops the operation for a reason of the connector's own (max_deletes).</summary>
    protected void Stop(WriteResultBuilder result, string reason, string code)
    {
        _stopReason = reason;
        result.Stop(reason, code);
    }

    /// <summary>
    /// Runs <paramref name="write"/> for each record; an API error that concerns only that record (400, 404, 409, a
    /// lost answer) rejects it and the next record goes on.
    /// </summary>
    protected static async Task ForEachRecordAsync(WriteResultBuilder result, Func<int, Task> write, CancellationToken cancellationToken)
    {
        for (var i = 0; i < result.Batch.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (result.StopIfAsked())
            {
                return;
            }

            try
            {
                await write(i).ConfigureAwait(false);
            }
            catch (ApiException refused) when (!refused.StopsOperation)
            {
                RejectRefused(result, i, refused);
            }
            catch (UnknownOutcomeException lost)
            {
                result.Reject(i, lost.Message, "unknown_outcome");
            }
            catch (AmbiguousContactException ambiguous)
            {
                result.Reject(i, ambiguous.Message, "ambiguous");
            }
        }
    }

    /// <summary>An API error's reject reason: the API's message, with its error_key as the code.</summary>
    protected static void RejectRefused(WriteResultBuilder result, int index, ApiException exception) =>
        result.Reject(
            index,
            Refused((int)exception.StatusCode, exception.ErrorText),
            exception.ErrorKey ?? ((int)exception.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The reject reason of a record the API refused (or, in a preview, would refuse).</summary>
    protected static string Refused(int status, string text) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Constant Contact refused the contact ({status}): {text}");

    private static string StopCode(ConstantContactException exception) => exception switch
    {
        QuotaExceededException or DailyRequestLimitReachedException => "quota_exceeded",
        AuthenticationFailedException => "unauthorized",
        ActivityTimeoutException => "activity_timeout",
        ApiException api => api.ErrorKey ?? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "stopped",
    };
}
