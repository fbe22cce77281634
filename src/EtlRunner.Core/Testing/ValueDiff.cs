using System.Globalization;
using EtlRunner.Execution;

namespace EtlRunner.Testing;

/// <summary>
/// Compares an expected value from a test with what the transform produced, structurally: objects key by key,
/// lists item by item, numbers by value (1 equals 1.0), text exactly, and text never equals a number.
/// </summary>
internal static class ValueDiff
{
    public const string Missing = "(no such field)";

    /// <summary>The fields of <paramref name="expected"/> that differ in <paramref name="actual"/>; fields not listed are not compared.</summary>
    public static List<FieldDiff> Record(IReadOnlyDictionary<string, object?> expected, IReadOnlyDictionary<string, object?> actual)
    {
        var diffs = new List<FieldDiff>();
        foreach (var (field, value) in expected)
        {
            if (actual.TryGetValue(field, out var produced))
            {
                Compare(field, value, produced, diffs);
            }
            else
            {
                diffs.Add(new FieldDiff(field, JsonValues.ToText(value), Missing));
            }
        }

        return diffs;
    }

    public static void Compare(string path, object? expected, object? actual, List<FieldDiff> diffs)
    {
        switch (expected)
        {
            case IReadOnlyDictionary<string, object?> map when actual is IReadOnlyDictionary<string, object?> other:
                foreach (var (key, value) in map)
                {
                    if (other.TryGetValue(key, out var produced))
                    {
                        Compare($"{path}.{key}", value, produced, diffs);
                    }
                    else
                    {
                        diffs.Add(new FieldDiff($"{path}.{key}", JsonValues.ToText(value), Missing));
                    }
                }

                foreach (var key in other.Keys.Where(k => !map.ContainsKey(k)))
                {
                    diffs.Add(new FieldDiff($"{path}.{key}", "(not expected)", JsonValues.ToText(other[key])));
                }

                break;
            case IReadOnlyList<object?> list when actual is IReadOnlyList<object?> items && list.Count == items.Count:
                for (var i = 0; i < list.Count; i++)
                {
                    Compare($"{path}[{i}]", list[i], items[i], diffs);
                }

                break;
            default:
                if (!ScalarEquals(expected, actual))
                {
                    diffs.Add(new FieldDiff(path, JsonValues.ToText(expected), JsonValues.ToText(actual)));
                }

                break;
        }
    }

    private static bool ScalarEquals(object? expected, object? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (long or int or decimal, long or int or decimal) => Convert.ToDecimal(expected, CultureInfo.InvariantCulture) == Convert.ToDecimal(actual, CultureInfo.InvariantCulture),
        (long or int or decimal or double, long or int or decimal or double) => Convert.ToDouble(expected, CultureInfo.InvariantCulture) == Convert.ToDouble(actual, CultureInfo.InvariantCulture),
        (string or bool, _) => expected.Equals(actual),
        _ => JsonValues.ToText(expected) == JsonValues.ToText(actual),
    };
}
