namespace EtlRunner.Sandbox.Http;

/// <summary>UUIDs as the API writes them: 36 characters, lower case, with dashes.</summary>
internal static class Ids
{
    public static bool TryParse(string? text, out Guid id) =>
        Guid.TryParseExact(text?.Trim(), "D", out id);

    public static string Format(Guid id) => id.ToString("D");
}
