using System.Globalization;

namespace EtlRunner.Sandbox.Http;

/// <summary>The API's time formats: ISO-8601 UTC with 'Z' for date-times, yyyy-MM-dd for dates.</summary>
internal static class Timestamps
{
    private static readonly string[] AnniversaryFormats = ["M/d/yyyy", "yyyy/M/d", "yyyy-M-d", "M-d-yyyy"];

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO-8601 date-time (offset or 'Z'; a bare date means midnight UTC).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 10 || !char.IsDigit(text[0]))
        {
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>Parses an anniversary in one of the accepted formats and returns it as yyyy-MM-dd.</summary>
    public static string? NormalizeAnniversary(string text) =>
        DateOnly.TryParseExact(text.Trim(), AnniversaryFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
}
