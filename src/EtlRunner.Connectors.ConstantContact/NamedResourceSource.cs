using System.Runtime.CompilerServices;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The query activity with <c>resource: lists</c>, <c>tags</c> or <c>custom_fields</c>: the account's lists (with
/// <c>membership_count</c>), tags or custom fields, every page, each record the API's resource as it is.
/// </summary>
internal sealed class NamedResourceSource(ConstantContactClient client, NamedKind kind) : ISource
{
    public async IAsyncEnumerable<Record> ReadAsync(ISourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = await client.Named.GetAllAsync(kind, new RequestOptions(context.ReportWaiting), cancellationToken, membershipCounts: true).ConfigureAwait(false);
        long read = 0;
        foreach (var item in all)
        {
            read++;
            yield return Record.From(((IReadOnlyDictionary<string, object?>)RecordJson.ToValue(item.Json)!).ToList(), $"{kind.Path()}/{item.Id}");
        }

        context.ReportProgress(read, read);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
