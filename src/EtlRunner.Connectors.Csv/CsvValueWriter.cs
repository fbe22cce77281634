using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace EtlRunner.Connectors.Csv;

/// <summary>
/// Writes one record value as a field, invariantly: numbers with the invariant culture (doubles as
/// the shortest text that round-trips), booleans as <c>true</c>/<c>false</c>, dates as ISO 8601,
/// <c>null</c> as an empty field, nested objects and arrays as compact JSON.
/// </summary>
internal static class CsvValueWriter
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
                writer.WriteField(JsonSerializer.Serialize(value, Json));
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
