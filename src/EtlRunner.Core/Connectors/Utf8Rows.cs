using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace EtlRunner.Connectors;

/// <summary>
/// Builds records whose values stay as a source read them, UTF-8 text and raw numbers packed one row after another
/// into shared blocks, until something asks for them: <see cref="Record.GetValue"/> makes the .NET value of a field
/// (a string, a long, a double) on first use, while a target that writes UTF-8 takes the bytes as they are
/// (<see cref="Record.TryGetUtf8"/>). A row of a million from a SQLite query to a CSV file is then never a string.
/// </summary>
/// <remarks>
/// A row is laid out in its block as the end offset of each field (an int each), the kind of each field (a byte each),
/// then the fields' data: 8 bytes for an integer or a real, the UTF-8 bytes of a text. A block is never reused: it lives
/// while a record of it does, so records can go anywhere (a reject, a map's source) without being copied.
/// Not thread-safe: one writer per source; the records it makes can be read from any thread.
/// </remarks>
public sealed class Utf8Rows
{
    private const int DefaultBlockSize = 32 * 1024; // under the large object heap's 85,000 bytes

    private readonly int _fieldCount;
    private readonly int _blockSize;
    private byte[] _block;
    private int _rowStart; // where the row being built starts in _block
    private int _end; // the end of what is written in _block
    private int _field; // the next field of the row being built

    public Utf8Rows(int fieldCount, int blockSize = DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fieldCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 64);
        _fieldCount = fieldCount;
        _blockSize = blockSize;
        _block = new byte[blockSize];
    }

    /// <summary>Starts a row: its fields follow in order, one call each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginRow()
    {
        _field = 0;
        _rowStart = _end;
        if (_end + (5 * _fieldCount) > _block.Length)
        {
            MoveToNewBlock(5 * _fieldCount);
        }

        _end = _rowStart + (5 * _fieldCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddNull() => Add(Utf8ValueKind.Null, 0);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddInteger(long value)
    {
        var at = Add(Utf8ValueKind.Integer, sizeof(long));
        BinaryPrimitives.WriteInt64LittleEndian(_block.AsSpan(at), value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddReal(double value)
    {
        var at = Add(Utf8ValueKind.Real, sizeof(double));
        BinaryPrimitives.WriteDoubleLittleEndian(_block.AsSpan(at), value);
    }

    /// <summary>
    /// A text field, as UTF-8. Bytes that are not valid UTF-8 are kept, and become the string <see cref="Encoding.UTF8"/>
    /// decodes (with U+FFFD); a target is never handed them raw, so it writes what the string would have been.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddText(ReadOnlySpan<byte> utf8)
    {
        var at = Add(Utf8ValueKind.Text, utf8.Length);
        utf8.CopyTo(_block.AsSpan(at));
    }

    /// <summary>A text field of <paramref name="length"/> UTF-8 bytes copied from native memory (a column a native library returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddText(nint utf8, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var at = Add(Utf8ValueKind.Text, length);
        if (length > 0)
        {
            Marshal.Copy(utf8, _block, at, length);
        }
    }

    /// <summary>Ends the row and makes its record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Record EndRow(RecordSchema schema, string originPrefix, long originNumber)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (_field != _fieldCount || schema.Count != _fieldCount)
        {
            throw new InvalidOperationException($"The row has {_field} of {_fieldCount} fields; its schema has {schema.Count}.");
        }

        return new Record(schema, _block, _rowStart, originPrefix, originNumber);
    }

    /// <summary>The field <paramref name="index"/> of the row at <paramref name="row"/>; false for a text that is not valid UTF-8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryRead(byte[] block, int row, int count, int index, out Utf8Value value)
    {
        var kind = (Utf8ValueKind)block[row + (4 * count) + index];
        var start = index == 0 ? row + (5 * count) : BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(row + (4 * (index - 1))));
        var end = BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(row + (4 * index)));
        var data = block.AsSpan(start, end - start);
        value = kind switch
        {
            Utf8ValueKind.Integer => new Utf8Value(kind, BinaryPrimitives.ReadInt64LittleEndian(data), 0, default),
            Utf8ValueKind.Real => new Utf8Value(kind, 0, BinaryPrimitives.ReadDoubleLittleEndian(data), default),
            Utf8ValueKind.Text => new Utf8Value(kind, 0, 0, data),
            _ => default,
        };
        return kind != Utf8ValueKind.Text || Utf8.IsValid(data);
    }

    /// <summary>The .NET value of a field: a long, a double, a string or null.</summary>
    internal static object? Read(byte[] block, int row, int count, int index)
    {
        TryRead(block, row, count, index, out var value);
        return value.Kind switch
        {
            Utf8ValueKind.Integer => value.Integer,
            Utf8ValueKind.Real => value.Real,
            Utf8ValueKind.Text => Encoding.UTF8.GetString(value.Text),
            _ => null,
        };
    }

    /// <summary>Makes room for the field's data and records its kind and end; returns where its data goes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Add(Utf8ValueKind kind, int length)
    {
        if (_field >= _fieldCount)
        {
            throw new InvalidOperationException($"The row already has its {_fieldCount} fields.");
        }

        if (_end + length > _block.Length)
        {
            MoveToNewBlock(length);
        }

        var at = _end;
        _end += length;
        _block[_rowStart + (4 * _fieldCount) + _field] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(_block.AsSpan(_rowStart + (4 * _field)), _end);
        _field++;
        return at;
    }

    /// <summary>Moves the row begun so far to a new block with room for <paramref name="length"/> more bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MoveToNewBlock(int length)
    {
        var rowSoFar = _end - _rowStart;
        var next = new byte[Math.Max(_blockSize, rowSoFar + length)];
        _block.AsSpan(_rowStart, rowSoFar).CopyTo(next);
        for (var i = 0; i < _field; i++)
        {
            // The ends are offsets in the block: they move with the row.
            var slot = next.AsSpan(4 * i);
            BinaryPrimitives.WriteInt32LittleEndian(slot, BinaryPrimitives.ReadInt32LittleEndian(slot) - _rowStart);
        }

        _block = next;
        _end = rowSoFar;
        _rowStart = 0;
    }
}

/// <summary>What a field of a <see cref="Utf8Rows"/> record holds.</summary>
public enum Utf8ValueKind : byte
{
    Null = 0,
    Integer = 1,
    Real = 2,
    Text = 3,
}

/// <summary>A field as its source read it: an integer, a real, UTF-8 text (valid until the record is gone), or null.</summary>
public readonly ref struct Utf8Value
{
    public Utf8Value(Utf8ValueKind kind, long integer, double real, ReadOnlySpan<byte> text)
    {
        Kind = kind;
        Integer = integer;
        Real = real;
        Text = text;
    }

    public Utf8ValueKind Kind { get; }

    public long Integer { get; }

    public double Real { get; }

    public ReadOnlySpan<byte> Text { get; }
}
