using System.Globalization;

namespace EtlRunner.Connectors;

/// <summary>A limit on changes or rejects: at most <see cref="Count"/> records, or <see cref="Percent"/> of a whole.</summary>
public sealed record ChangeLimit(long? Count, double? Percent)
{
    /// <summary><c>50</c> or <c>5%</c> (0 to 100); null when the text is neither.</summary>
    public static ChangeLimit? TryParse(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.EndsWith('%'))
        {
            return double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100
                ? new ChangeLimit(null, percent)
                : null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? new ChangeLimit(count, null) : null;
    }

    /// <summary>How many are allowed of <paramref name="whole"/> (the records read, the rows in the table...).</summary>
    public long Allowed(long whole) => Count ?? (long)Math.Floor(whole * Percent!.Value / 100);

    public override string ToString() => Count?.ToString(CultureInfo.InvariantCulture) ?? Percent!.Value.ToString(CultureInfo.InvariantCulture) + "%";
}
