using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Clients;

/// <summary>
/// Guards a walk through <c>_links.next.href</c>: a next link to a page already read (the page itself or an earlier
/// one) is an error, so a broken or hostile API cannot make a query read the same contacts again and again, and so is
/// a walk longer than the total announced by the first page needs (with room for contacts added meanwhile).
/// </summary>
internal sealed class PageTrail
{
    public const string Route = "GET /contacts (next page)";

    /// <summary>Pages allowed when the API did not say how many contacts there are.</summary>
    private const long MaxPagesWithoutTotal = 20_000;

    private readonly Dictionary<Uri, int> _read = [];
    private readonly long _maxPages;
    private readonly long? _total;

    public PageTrail(ContactsPage first, int pageSize)
    {
        _total = first.ContactsCount;
        var expected = _total is { } total ? (total + pageSize - 1) / pageSize : MaxPagesWithoutTotal;
        _maxPages = expected + Math.Max(10, expected / 10);
        _read[first.Address] = 1;
    }

    /// <summary>The page to read after <paramref name="page"/> (already read), or null at the end.</summary>
    public Uri? Next(ContactsPage page)
    {
        _read.TryAdd(page.Address, _read.Count + 1);
        if (page.Next is not { } next)
        {
            return null;
        }

        if (_read.TryGetValue(next, out var earlier))
        {
            throw PagingException.Loop(_read[page.Address], earlier);
        }

        return _read.Count < _maxPages ? next : throw PagingException.TooManyPages(_maxPages, _total);
    }
}
