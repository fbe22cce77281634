using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace EtlRunner.Connectors;

/// <summary>
/// One record flowing through an operation: an ordered set of named fields. Records that come from the
/// same place share one <see cref="RecordSchema"/>, so a sink can prepare its statement once per schema.
/// Values are plain .NET values: <c>string</c>, <c>long</c>, <c>double</c>, <c>decimal</c>, <c>bool</c>,
/// <c>null</c>, nested objects as <see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to object, and
/// arrays as <see cref="IReadOnlyList{T}"/> of object. A record made by <see cref="Utf8Rows"/> holds its values as
/// its source read them and makes each .NET value on first use; a target that writes UTF-8 can take the bytes
/// instead (<see cref="TryGetUtf8"/>).
/// </summary>
public sealed class Record : IReadOnlyDictionary<string, object?>
{
    private const long NoNumber = -1;

    /// <summary>Marks a value of a <see cref="Utf8Rows"/> record not made yet.</summary>
    private static readonly object NotRead = new();

    private readonly string? _origin;
    private readonly long _originNumber;

    // A record of a Utf8Rows block: its row's block and where the row starts; _values is made on first use.
    private readonly byte[]? _block;
    private readonly int _row;
    private object?[]? _values;

    public Record(RecordSchema schema, object?[] values, string? origin = null)
        : this(schema, values, origin!, NoNumber)
    {
    }

    /// <summary>
    /// A record whose origin is a row number (0 or more) after a prefix shared by its source (<c>signups.csv:</c> and 12),
    /// made into text only when it is read: a source of a million rows does not format a million origins nobody asks for.
    /// </summary>
    public Record(RecordSchema schema, object?[] values, string originPrefix, long originNumber)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(originNumber, NoNumber);
        if (values.Length != schema.Count)
        {
            throw new ArgumentException($"The record has {values.Length} values but its schema has {schema.Count} fields.", nameof(values));
        }

        Schema = schema;
        _values = values;
        _origin = originPrefix;
        _originNumber = originNumber;
    }

    /// <summary>A record whose values are the row at <paramref name="row"/> of a <see cref="Utf8Rows"/> block.</summary>
    internal Record(RecordSchema schema, byte[] block, int row, string originPrefix, long originNumber)
    {
        Schema = schema;
        _block = block;
        _row = row;
        _origin = originPrefix;
        _originNumber = originNumber;
    }

    /// <summary>The field names, shared by every record from the same source or map.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Where the record came from, for rejects and errors: <c>signups.csv:12</c>, <c>contact 5b1f…</c>.</summary>
    public string? Origin => _originNumber == NoNumber ? _origin : string.Create(CultureInfo.InvariantCulture, $"{_origin}{_originNumber}");

    /// <summary>The source record this one was mapped from (kept with a reject, so <c>etl replay</c> can transform it again).</summary>
    public Record? Source { get; init; }

    public int Count => Schema.Count;

    /// <summary>Writes <see cref="Origin"/> into <paramref name="destination"/> without making it a string; false when it does not fit.</summary>
    public bool TryFormatOrigin(Span<char> destination, out int written)
    {
        written = 0;
        var prefix = _origin.AsSpan();
        if (!prefix.TryCopyTo(destination))
        {
            return false;
        }

        if (_originNumber == NoNumber)
        {
            written = prefix.Length;
            return true;
        }

        var done = _originNumber.TryFormat(destination[prefix.Length..], out var digits, default, CultureInfo.InvariantCulture);
        written = done ? prefix.Length + digits : 0;
        return done;
    }

    /// <summary>The record a map makes of this one: other fields and values, the same origin, and this record as its <see cref="Source"/>.</summary>
    public Record Remap(RecordSchema schema, object?[] values) => new(schema, values, _origin!, _originNumber) { Source = this };

    public IEnumerable<string> Keys => Schema.Names;

    public IEnumerable<object?> Values => _block is null ? _values! : Enumerable.Range(0, Count).Select(GetValue);

    /// <summary>The value of a field, or <c>null</c> when the record has no such field.</summary>
    public object? this[string key] => Schema.TryGetIndex(key, out var index) ? GetValue(index) : null;

    /// <summary>The value at a field position.</summary>
    public object? GetValue(int index)
    {
        if (_block is null)
        {
            return _values![index];
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Schema.Count, nameof(index));
        var values = _values;
        if (values is null)
        {
            // Records move between stages through channels, one stage at a time; two readers at once would make equal values.
            values = new object?[Schema.Count];
            Array.Fill(values, NotRead);
            values = Interlocked.CompareExchange(ref _values, values, null) ?? values;
        }

        var value = values[index];
        if (ReferenceEquals(value, NotRead))
        {
            value = values[index] = Utf8Rows.Read(_block, _row, Schema.Count, index);
        }

        return value;
    }

    /// <summary>
    /// The field at <paramref name="index"/> as its source read it (UTF-8 text, an integer, a real or null), when the
    /// record holds it so (<see cref="Utf8Rows"/>); false otherwise, and then <see cref="GetValue"/> gives it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetUtf8(int index, out Utf8Value value)
    {
        if (_block is null)
        {
            value = default;
            return false;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Schema.Count, nameof(index));
        return Utf8Rows.TryRead(_block, _row, Schema.Count, index, out value);
    }

    public bool ContainsKey(string key) => Schema.TryGetIndex(key, out _);

    public bool TryGetValue(string key, out object? value)
    {
        if (Schema.TryGetIndex(key, out var index))
        {
            value = GetValue(index);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Builds a record from name/value pairs (for connectors whose records have no fixed shape).</summary>
    public static Record From(IEnumerable<KeyValuePair<string, object?>> fields, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var names = new List<string>();
        var values = new List<object?>();
        foreach (var (name, value) in fields)
        {
            names.Add(name);
            values.Add(value);
        }

        return new Record(new RecordSchema(names), [.. values], origin);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new KeyValuePair<string, object?>(Schema.Names[i], GetValue(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
