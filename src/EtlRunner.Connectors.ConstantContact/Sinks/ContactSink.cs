using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// What every Constant Contact target shares: a batch is accounted record by record; a fault that no later record
/// can survive (quota, credentials, a service that keeps failing) stops the operation, rejects what is left with the
/// reason, and every later batch is rejected at once without a request.
/// </summary>
internal abstract class ContactSink(ConstantContactClient client) : ISink
{
    private string? _stopReason;

    protected ConstantContactClient Client { get; } = client;

    public virtual int? PreferredBatchSize => null;

    public async ValueTask<WriteResult> WriteAsync(IReadOnlyList<Record> batch, ISinkContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        var result = new WriteResultBuilder(batch, context);
        if (_stopReason is not null)
        {
            result.Stop(_stopReason, "stopped");
            return result.Build();
        }

        try
        {
            await WriteBatchAsync(result, new RequestOptions(context.ReportWaiting), cancellationToken).ConfigureAwait(false);
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
            $"Constant Contact refused the contact ({(int)exception.StatusCode}): {exception.ErrorText}",
            exception.ErrorKey ?? ((int)exception.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string StopCode(ConstantContactException exception) => exception switch
    {
        QuotaExceededException or DailyRequestLimitReachedException => "quota_exceeded",
        AuthenticationFailedException => "unauthorized",
        ActivityTimeoutException => "activity_timeout",
        ApiException api => api.ErrorKey ?? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "stopped",
    };
}
