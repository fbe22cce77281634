using System.Text;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Clients;

/// <summary>
/// An account's lists (/contact_lists), tags (/contact_tags) and custom fields (/contact_custom_fields): read whole,
/// page after page, and created one at a time.
/// </summary>
internal sealed class NamedResourcesClient(ApiConnection connection)
{
    /// <summary>The largest number of pages read for one kind: 1,000 lists, and far more tags or fields than an account holds.</summary>
    private const int MaxPages = 200;

    /// <summary>GET /contact_lists, /contact_tags or /contact_custom_fields — every one, following <c>_links.next</c>.</summary>
    public async Task<IReadOnlyList<NamedResource>> GetAllAsync(NamedKind kind, RequestOptions options, CancellationToken cancellationToken, bool membershipCounts = false, Action? onPage = null)
    {
        var all = new List<NamedResource>();
        var seen = new HashSet<Uri>();
        Uri? next = ApiUrls.Named(kind, membershipCounts);
        while (next is { } address)
        {
            if (!seen.Add(address) || seen.Count > MaxPages)
            {
                throw PagingException.NamedLoop($"GET /{kind.Path()}", MaxPages);
            }

            var page = await connection.SendAsync(
                ApiRequest.Get(address, $"GET /{kind.Path()}"),
                r => r.ReadJson(json => NamedPage.From(kind, json, r.Address)),
                options,
                cancellationToken).ConfigureAwait(false);
            onPage?.Invoke();
            all.AddRange(page.Items);
            next = page.Next;
        }

        return all;
    }

    /// <summary>POST /contact_lists, /contact_tags or /contact_custom_fields (a string field) — creates one (201); not repeated when its answer is lost.</summary>
    public Task<NamedResource> CreateAsync(NamedKind kind, string name, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(
            ApiRequest.Post(ApiUrls.NewNamed(kind), $"POST /{kind.Path()}", Encoding.UTF8.GetBytes(kind.NewBody(name)), isIdempotent: false),
            r => r.ReadJson(json => NamedResource.From(kind, json)),
            options,
            cancellationToken);
}
