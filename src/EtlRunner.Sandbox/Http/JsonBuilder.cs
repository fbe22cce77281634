using System.Text.Json.Nodes;

namespace EtlRunner.Sandbox.Http;

/// <summary>Helpers for building response objects that omit absent (null) properties, as the API does.</summary>
internal static class JsonBuilder
{
    public static JsonObject With(this JsonObject obj, string name, string? value)
    {
        if (value is not null)
        {
            obj[name] = value;
        }

        return obj;
    }

    public static JsonObject With(this JsonObject obj, string name, int? value)
    {
        if (value is not null)
        {
            obj[name] = value.Value;
        }

        return obj;
    }

    public static JsonObject With(this JsonObject obj, string name, DateTimeOffset? value)
    {
        if (value is not null)
        {
            obj[name] = Timestamps.Format(value.Value);
        }

        return obj;
    }

    public static JsonObject With(this JsonObject obj, string name, JsonNode? value)
    {
        if (value is not null)
        {
            obj[name] = value;
        }

        return obj;
    }

    public static JsonArray ToJsonArray<T>(this IEnumerable<T> items, Func<T, JsonNode?> map) =>
        new([.. items.Select(map)]);

    public static JsonArray ToJsonArray(this IEnumerable<Guid> ids) =>
        new([.. ids.Select(id => (JsonNode)Ids.Format(id))]);

    public static JsonObject Link(string href) => new() { ["href"] = href };

    public static JsonObject SelfLinks(string href) => new() { ["self"] = Link(href) };

    public static JsonObject NextLinks(string href) => new() { ["next"] = Link(href) };
}
