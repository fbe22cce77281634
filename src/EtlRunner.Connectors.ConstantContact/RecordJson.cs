using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>Converts between JSON and record values (string, long, double, bool, null, dictionaries and lists).</summary>
internal static class RecordJson
{
    /// <summary>JSON → record value: objects become dictionaries, arrays lists, numbers long or double.</summary>
    public static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToDictionary(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>Record value → JSON; nulls inside objects are dropped (the API reads a missing property as "not given").</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        long number => JsonValue.Create(number),
        int number => JsonValue.Create(number),
        short number => JsonValue.Create(number),
        byte number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        float number => JsonValue.Create(number),
        decimal number => JsonValue.Create(number),
        DateTimeOffset moment => JsonValue.Create(moment.ToString("O", CultureInfo.InvariantCulture)),
        DateTime moment => JsonValue.Create(moment.ToString("O", CultureInfo.InvariantCulture)),
        DateOnly day => JsonValue.Create(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        IEnumerable<KeyValuePair<string, object?>> map => ToObject(map),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToNode)]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    public static JsonObject ToObject(IEnumerable<KeyValuePair<string, object?>> map)
    {
        var result = new JsonObject();
        foreach (var (name, item) in map)
        {
            if (item is not null)
            {
                result[name] = ToNode(item);
            }
        }

        return result;
    }

    /// <summary>The text of a scalar value (for flat keys and identifiers); null for null or non-scalars.</summary>
    public static string? ScalarText(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable when value is not IEnumerable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A record field that names several things: a list of values, or comma-separated text; blanks dropped.</summary>
    public static IReadOnlyList<string> TextList(object? value) => value switch
    {
        null => [],
        string text => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        IEnumerable<object?> items => [.. items.Select(ScalarText).OfType<string>().Select(t => t.Trim()).Where(t => t.Length > 0)],
        _ => ScalarText(value) is { Length: > 0 } one ? [one.Trim()] : [],
    };

    /// <summary>Whether <paramref name="existing"/> already holds <paramref name="wanted"/>: objects compare only the wanted keys, lists of scalars as sets.</summary>
    public static bool Holds(JsonNode? existing, JsonNode? wanted)
    {
        switch (wanted)
        {
            case null:
                return existing is null;
            case JsonObject wantedObject:
                return existing is JsonObject existingObject
                    && wantedObject.All(p => Holds(existingObject[p.Key], p.Value));
            case JsonArray wantedArray:
                if (existing is not JsonArray existingArray || existingArray.Count != wantedArray.Count)
                {
                    return false;
                }

                if (wantedArray.All(n => n is JsonValue) && existingArray.All(n => n is JsonValue))
                {
                    var have = existingArray.Select(n => n!.ToJsonString()).ToHashSet(StringComparer.Ordinal);
                    return wantedArray.All(n => have.Contains(n!.ToJsonString()));
                }

                return wantedArray.Select((n, i) => Holds(existingArray[i], n)).All(same => same);
            default:
                return existing is JsonValue && JsonNode.DeepEquals(existing, wanted);
        }
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement element)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            result[property.Name] = ToValue(property.Value);
        }

        return result;
    }
}
