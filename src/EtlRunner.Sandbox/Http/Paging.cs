using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EtlRunner.Sandbox.Http;

/// <summary>
/// Cursor paging. A cursor is opaque base64url text holding the original query parameters plus
/// <c>next=&lt;sequence&gt;</c>, the sort key of the last item returned; follow-up requests pass only the cursor
/// (a <c>limit</c> given beside it wins).
/// </summary>
internal static class Paging
{
    /// <summary>Builds the query reader for a paged collection request, unpacking a cursor if present.</summary>
    public static (QueryReader Query, long? After, ApiResponse? Error) Read(ApiRoute route, HttpContext context)
    {
        var raw = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (!raw.TryGetValue("cursor", out var cursor))
        {
            return (new QueryReader(route, raw), null, null);
        }

        if (!TryDecode(cursor, out var decoded, out var after))
        {
            return (new QueryReader(route, raw), null, ApiResponse.Validation("cursor is not valid."));
        }

        if (raw.TryGetValue("limit", out var limit))
        {
            decoded["limit"] = limit;
        }

        return (new QueryReader(route, decoded), after, null);
    }

    /// <summary>Takes up to <paramref name="limit"/> items after <paramref name="after"/>; next is set when more remain.</summary>
    public static (List<T> Items, long? Next) Take<T>(
        IEnumerable<T> ordered, Func<T, long> key, long? after, int limit, bool descending = false)
    {
        var rest = after is { } a ? ordered.Where(i => descending ? key(i) < a : key(i) > a) : ordered;
        var items = rest.Take(limit + 1).ToList();
        if (items.Count <= limit)
        {
            return (items, null);
        }

        items.RemoveAt(limit);
        return (items, key(items[^1]));
    }

    /// <summary>The relative <c>_links.next.href</c> for the page after <paramref name="next"/>.</summary>
    public static string NextHref(string path, IReadOnlyDictionary<string, string> query, long next)
    {
        var text = string.Join('&', query.Where(q => q.Key is not ("cursor" or "next"))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")
            .Append($"next={next}"));
        return $"{path}?cursor={Base64UrlEncode(text)}";
    }

    private static bool TryDecode(string cursor, out Dictionary<string, string> query, out long after)
    {
        query = new Dictionary<string, string>(StringComparer.Ordinal);
        after = 0;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(ToStandardBase64(cursor)));
        }
        catch (FormatException)
        {
            return false;
        }

        foreach (var (key, value) in QueryHelpers.ParseQuery(text))
        {
            query[key] = value.ToString();
        }

        return query.Remove("next", out var next) && long.TryParse(next, out after);
    }

    private static string Base64UrlEncode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ToStandardBase64(string text)
    {
        var s = text.Trim().Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
