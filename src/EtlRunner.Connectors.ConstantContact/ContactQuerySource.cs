using System.Runtime.CompilerServices;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The query activity: GET /contacts with the filters (the first page asks for the total), then each
/// <c>_links.next.href</c> until there is none (a <see cref="PageTrail"/> refuses links that loop); contacts stream out
/// page by page. A segment search (segment_id) that answers 202 "processing" is asked again with a growing interval
/// until it answers 200, within <c>segment_timeout</c>.
/// </summary>
internal sealed class ContactQuerySource(ConstantContactClient client, ContactsQuery query, long? maxRecords, TimeProvider time, TimeSpan segmentTimeout) : ISource
{
    public async IAsyncEnumerable<Record> ReadAsync(ISourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new RequestOptions(context.ReportWaiting);
        var reader = new ContactRecordReader(query.Include);
        var pageSize = maxRecords is { } cap && cap < query.Limit ? (int)cap : query.Limit;
        var first = query with { Limit = pageSize, IncludeCount = query.SegmentId is null };
        var page = await client.Contacts.GetPageAsync(first, options, cancellationToken).ConfigureAwait(false);
        var interval = client.Tuning.PollInitialInterval;
        var started = time.GetTimestamp();
        while (page.Processing)
        {
            // A segment search answers 202 while Constant Contact works out the members: ask again, less and less often.
            var left = segmentTimeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                options.ReportWaiting?.Invoke(null);
                throw new SegmentTimeoutException(query.SegmentId ?? "?", segmentTimeout);
            }

            options.ReportWaiting?.Invoke($"waiting for Constant Contact to work out segment {query.SegmentId}");
            await Task.Delay(interval < left ? interval : left, time, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(client.Tuning.PollMaxInterval.Ticks, (long)(interval.Ticks * 1.5)));
            page = await client.Contacts.GetPageAsync(first, options, cancellationToken).ConfigureAwait(false);
        }

        options.ReportWaiting?.Invoke(null);
        long? total = page.ContactsCount is { } count && maxRecords is { } max ? Math.Min(count, max) : page.ContactsCount ?? maxRecords;
        var trail = new PageTrail(page, pageSize);
        long read = 0;
        while (true)
        {
            foreach (var contact in page.Contacts)
            {
                if (read >= maxRecords)
                {
                    yield break;
                }

                read++;
                yield return reader.Read(contact);
            }

            context.ReportProgress(read, total);
            if (read >= maxRecords || trail.Next(page) is not { } next)
            {
                yield break;
            }

            page = await client.Contacts.GetNextPageAsync(next, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
