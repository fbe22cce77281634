using System.Text;
using System.Text.Json;
using EtlRunner.Expressions;

namespace EtlRunner.Execution;

/// <summary>
/// The globals one operation's <c>set:</c> gave, as the state database keeps them so that a resumed run has them:
/// <c>{"values": {"name": value}, "withheld": ["name"]}</c>. A value that holds a secret is withheld, never stored;
/// the resumed run computes it again from its <c>set:</c> expression.
/// </summary>
internal static class ChainGlobals
{
    public static string? Encode(IReadOnlyList<KeyValuePair<string, object?>> values, SecretMasker masker)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var withheld = new List<string>();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("values");
            foreach (var (name, value) in values)
            {
                if (HoldsSecret(value, masker))
                {
                    withheld.Add(name);
                    continue;
                }

                json.WritePropertyName(name);
                JsonValues.Write(json, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("withheld");
            withheld.ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The stored values, and the names whose values were withheld.</summary>
    public static (IReadOnlyDictionary<string, object?> Values, IReadOnlyList<string> Withheld) Decode(string? text)
    {
        if (text is null)
        {
            return (new Dictionary<string, object?>(), []);
        }

        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var values = root.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => JsonValues.Read(p.Value), StringComparer.Ordinal);
        return (values, [.. root.GetProperty("withheld").EnumerateArray().Select(e => e.GetString()!)]);
    }

    /// <summary>True when any text in the value (at any depth) contains a secret.</summary>
    private static bool HoldsSecret(object? value, SecretMasker masker) => value switch
    {
        null => false,
        string text => !string.Equals(masker.Apply(text), text, StringComparison.Ordinal),
        IReadOnlyDictionary<string, object?> map => map.Any(e => HoldsSecret(e.Key, masker) || HoldsSecret(e.Value, masker)),
        System.Collections.IEnumerable items => items.Cast<object?>().Any(item => HoldsSecret(item, masker)),
        _ => HoldsSecret(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), masker),
    };
}
