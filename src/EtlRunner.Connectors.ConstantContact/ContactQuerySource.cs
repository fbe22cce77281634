using System.Runtime.CompilerServices;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The query activity: GET /contacts with the filters (the first page asks for the total), then each
/// <c>_links.next.href</c> until there is none (a <see cref="PageTrail"/> refuses links that loop); contacts stream out
/// page by page.
/// </summary>
internal sealed class ContactQuerySource(ConstantContactClient client, ContactsQuery query, long? maxRecords) : ISource
{
    public async IAsyncEnumerable<Record> ReadAsync(ISourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new RequestOptions(context.ReportWaiting);
        var reader = new ContactRecordReader(query.Include);
        var pageSize = maxRecords is { } cap && cap < query.Limit ? (int)cap : query.Limit;
        var page = await client.Contacts.GetPageAsync(query with { Limit = pageSize, IncludeCount = true }, options, cancellationToken).ConfigureAwait(false);
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
