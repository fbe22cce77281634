using System.Globalization;

namespace EtlRunner.Sandbox.Http;

/// <summary>
/// Validating access to a route's query parameters. Only parameters the route declares in
/// <see cref="ApiRoutes"/> may be read, so the declared list stays the true list.
/// </summary>
internal sealed class QueryReader(ApiRoute route, IReadOnlyDictionary<string, string> values)
{
    public List<string> Errors { get; } = [];

    /// <summary>The raw parameters (after a cursor is unpacked), kept for the next page's cursor.</summary>
    public IReadOnlyDictionary<string, string> Raw => values;

    public string? String(string name)
    {
        if (!route.QueryParameters.Contains(name))
        {
            throw new InvalidOperationException($"Query parameter '{name}' is not declared for {route.Key}.");
        }

        return values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
    }

    public int Int(string name, int min, int max, int fallback)
    {
        var s = String(name);
        if (s is null)
        {
            return fallback;
        }

        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        Errors.Add($"{name} must be an integer from {min} to {max}.");
        return fallback;
    }

    public bool Bool(string name)
    {
        var s = String(name);
        if (s is null || s.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (s.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        Errors.Add($"{name} must be true or false.");
        return false;
    }

    public string? Enum(string name, IReadOnlyCollection<string> allowed)
    {
        var s = String(name);
        if (s is not null && !allowed.Contains(s))
        {
            Errors.Add($"{name} does not have a valid value; valid values are {string.Join(", ", allowed)}.");
            return null;
        }

        return s;
    }

    /// <summary>A comma-separated list of values from <paramref name="allowed"/>; null when absent.</summary>
    public HashSet<string>? Csv(string name, IReadOnlyCollection<string> allowed)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        var items = s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var bad = items.Where(i => !allowed.Contains(i)).ToList();
        if (bad.Count > 0 || items.Count == 0)
        {
            Errors.Add($"{name} does not have a valid value: '{string.Join(",", bad)}'; valid values are {string.Join(", ", allowed)}.");
            return null;
        }

        return items;
    }

    public HashSet<Guid>? UuidCsv(string name, int max)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        var ids = new HashSet<Guid>();
        foreach (var item in s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Ids.TryParse(item, out var id))
            {
                Errors.Add($"{name} contains an invalid id: '{item}'.");
                return null;
            }

            ids.Add(id);
        }

        if (ids.Count > max)
        {
            Errors.Add($"{name} can contain at most {max} ids.");
            return null;
        }

        return ids;
    }

    public DateTimeOffset? DateTime(string name)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        if (Timestamps.TryParse(s, out var t))
        {
            return t;
        }

        Errors.Add($"{name} must be an ISO-8601 date-time, e.g. 2022-01-01T16:37:59.091Z.");
        return null;
    }
}
