using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using EtlRunner.Execution;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Writes one record value as a field, invariantly: numbers with the invariant culture (doubles as
/// the shortest text that round-trips), booleans as <c>true</c>/<c>false</c>, dates as ISO 8601,
/// <c>null</c> as an empty field, nested objects and arrays as compact JSON.
/// </summary>
internal static class CsvValueWriter
{
    /// <summary>
    /// Writes the field <paramref name="index"/> of a record (<c>-1</c>: a column the record has no field for, empty): its
    /// UTF-8 bytes as they are when the record holds them so (<see cref="Record.TryGetUtf8"/>), quoted by the same rules,
    /// so the file is the same as from its string.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(CsvWriter writer, Record record, int index)
    {
        if (index < 0)
        {
            writer.WriteField(ReadOnlySpan<char>.Empty);
        }
        else if (!record.TryGetUtf8(index, out var value))
        {
            Write(writer, record.GetValue(index));
        }
        else if (value.Kind == Utf8ValueKind.Text)
        {
            writer.WriteField(value.Text);
        }
        else if (value.Kind == Utf8ValueKind.Integer)
        {
            writer.WriteField(value.Integer, default);
        }
        else if (value.Kind == Utf8ValueKind.Real)
        {
            writer.WriteField(value.Real, default);
        }
        else
        {
            writer.WriteField(ReadOnlySpan<char>.Empty);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(CsvWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteField(ReadOnlySpan<char>.Empty);
                break;
            case string s:
                writer.WriteField(s);
                break;
            case bool b:
                writer.WriteField(b);
                break;
            case long l:
                writer.WriteField(l, default);
                break;
            case int i:
                writer.WriteField(i, default);
                break;
            case double d:
                writer.WriteField(d, default);
                break;
            case decimal m:
                writer.WriteField(m, default);
                break;
            case DateTimeOffset dto:
                writer.WriteField(dto, default);
                break;
            case DateTime dt:
                writer.WriteField(dt, default);
                break;
            case DateOnly date:
                writer.WriteField(date, default);
                break;
            case byte[] bytes:
                writer.WriteField(Convert.ToBase64String(bytes));
                break;
            case IEnumerable:
                writer.WriteField(JsonValues.ToText(value));
                break;
            case IFormattable formattable:
                writer.WriteField(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteField(value.ToString());
                break;
        }
    }
}
