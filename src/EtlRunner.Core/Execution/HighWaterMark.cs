using System.Globalization;
using EtlRunner.Connectors;

namespace EtlRunner.Execution;

/// <summary>
/// The highest value of an incremental field among the records read. The runner keeps it only when the operation
/// succeeds, so the mark never passes a record that was not processed. Numbers compare as numbers, anything else
/// (ISO-8601 timestamps) as text.
/// </summary>
internal sealed class HighWaterMark(string? field)
{
    private object? _max;

    public string? Value => _max switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    public void Observe(Record record)
    {
        if (field is null || record[field] is not { } value || value is "")
        {
            return;
        }

        if (_max is null || Compare(value, _max) > 0)
        {
            _max = value;
        }
    }

    private static int Compare(object a, object b)
    {
        if (Number(a) is { } x && Number(b) is { } y)
        {
            return x.CompareTo(y);
        }

        return string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture));
    }

    private static double? Number(object value) => value switch
    {
        long l => l,
        int i => i,
        double d => d,
        decimal m => (double)m,
        _ => null,
    };
}
