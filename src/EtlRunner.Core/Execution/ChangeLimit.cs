using System.Globalization;

namespace EtlRunner.Execution;

/// <summary>A guard against mass changes: at most <see cref="Count"/> records, or <see cref="Percent"/> of the records read.</summary>
public sealed record ChangeLimit(long? Count, double? Percent)
{
    public static ChangeLimit? Parse(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent >= 0)
        {
            return new ChangeLimit(null, percent);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? new ChangeLimit(count, null)
            : throw new FormatException($"'{text}' is neither a count (50) nor a percentage (5%)");
    }

    /// <summary>How many changes are allowed once <paramref name="read"/> records have been read.</summary>
    public long Allowed(long read) => Count ?? (long)Math.Floor(read * Percent!.Value / 100);

    public override string ToString() => Count?.ToString(CultureInfo.InvariantCulture) ?? Percent!.Value.ToString(CultureInfo.InvariantCulture) + "%";
}
