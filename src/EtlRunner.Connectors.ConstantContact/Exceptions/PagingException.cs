using System.Globalization;

namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>The API's next links do not end: one points back to a page already read, or they go on past any plausible count.</summary>
internal sealed class PagingException : ConstantContactException
{
    private PagingException(string message)
        : base(message)
    {
    }

    public static PagingException Loop(int page, int earlier) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Constant Contact's next link on page {page} of GET /contacts points back to page {earlier}, already read: stopped, so no contact is read twice"));

    public static PagingException TooManyPages(long pages, long? total)
    {
        var announced = total is { } count ? string.Create(CultureInfo.InvariantCulture, $"the {count:N0} contacts it announced") : "a query without a contact count";
        return new(string.Create(CultureInfo.InvariantCulture, $"Constant Contact's next links for GET /contacts go on after {pages:N0} pages, the most {announced} can take: stopped"));
    }

    public static PagingException NamedLoop(string route, int maxPages) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Constant Contact's next links for {route} point back at a page already read, or go on past {maxPages} pages: stopped"));
}
