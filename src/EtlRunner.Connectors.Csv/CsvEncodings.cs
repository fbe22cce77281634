using System.Text;

namespace EtlRunner.Connectors.Csv;

/// <summary>The encodings a csv connection accepts, by their YAML names.</summary>
internal static class CsvEncodings
{
    public const string Utf8 = "utf-8";

    public static IReadOnlyList<string> Names { get; } =
        [Utf8, "utf-16", "utf-16le", "utf-16be", "latin1", "iso-8859-1", "ascii", "us-ascii", "windows-1252"];

    /// <summary>
    /// The encoding for a name. Decoding replaces invalid bytes with U+FFFD, which is how the reader
    /// recognises them (<see cref="IsUtf8"/> files are checked byte by byte instead).
    /// </summary>
    public static Encoding Resolve(string name) => name.ToUpperInvariant() switch
    {
        "UTF-8" or "UTF8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        "UTF-16" or "UTF-16LE" or "UTF16" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        "UTF-16BE" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        "LATIN1" or "ISO-8859-1" => Encoding.Latin1,
        "ASCII" or "US-ASCII" => Encoding.GetEncoding("us-ascii", EncoderFallback.ReplacementFallback, Replacement),
        "WINDOWS-1252" or "CP1252" => CodePage1252(),
        _ => throw new ArgumentException($"Unknown encoding '{name}'. Known encodings: {string.Join(", ", Names)}.", nameof(name)),
    };

    public static bool IsKnown(string name)
    {
        try
        {
            Resolve(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static bool IsUtf8(Encoding encoding) => encoding.CodePage == Encoding.UTF8.CodePage;

    private static DecoderReplacementFallback Replacement { get; } = new("\uFFFD");

    private static Encoding CodePage1252() =>
        CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ReplacementFallback, Replacement)
        ?? throw new ArgumentException("The windows-1252 encoding is not available on this system.");
}
