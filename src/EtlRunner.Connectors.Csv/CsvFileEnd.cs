using System.Text;

namespace EtlRunner.Connectors.Csv;

/// <summary>Looks at the end of an existing file before rows are appended to it.</summary>
internal static class CsvFileEnd
{
    /// <summary>Whether the file's last character is a line break (so appended rows start on a line of their own).</summary>
    public static bool EndsWithLineBreak(string path, Encoding encoding)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = (int)Math.Min(4, stream.Length);
        if (count == 0)
        {
            return true;
        }

        Span<byte> tail = stackalloc byte[count];
        stream.Seek(-count, SeekOrigin.End);
        stream.ReadExactly(tail);
        var text = encoding.GetString(tail);
        return text.EndsWith('\n') || text.EndsWith('\r');
    }
}
