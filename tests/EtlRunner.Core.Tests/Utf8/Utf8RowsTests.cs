using System.Text;
using EtlRunner.Connectors;
using Record = EtlRunner.Connectors.Record;

namespace EtlRunner.Core.Tests.Utf8;

public sealed class Utf8RowsTests
{
    private static readonly RecordSchema Schema = new(["id", "score", "name", "note"]);

    [Fact]
    public void EndRow_FieldsOfEveryKind_GetValueGivesTheirDotNetValues()
    {
        var rows = new Utf8Rows(4);

        var record = Row(rows, 42L, 0.1, "Zoë \"Z\", née\r\nLine", null);

        Assert.Equal(42L, record.GetValue(0));
        Assert.Equal(0.1, record.GetValue(1));
        Assert.Equal("Zoë \"Z\", née\r\nLine", record.GetValue(2));
        Assert.Null(record.GetValue(3));
        Assert.Equal(4, record.Count);
        Assert.Equal([42L, 0.1, "Zoë \"Z\", née\r\nLine", null], record.Values);
        Assert.Equal("Zoë \"Z\", née\r\nLine", record["name"]);
        Assert.True(record.TryGetValue("id", out var id));
        Assert.Equal(42L, id);
        Assert.Equal(["id", "score", "name", "note"], record.Select(f => f.Key));
        Assert.Equal("query row 7", record.Origin);
    }

    [Fact]
    public void GetValue_SameFieldTwice_GivesTheSameString()
    {
        var record = Row(new Utf8Rows(4), 1L, 2.5, "text", "");

        Assert.Same(record.GetValue(2), record.GetValue(2));
        Assert.Equal(string.Empty, record.GetValue(3));
    }

    [Fact]
    public void TryGetUtf8_EachKind_GivesTheValueAsRead()
    {
        var record = Row(new Utf8Rows(4), -7L, -1.5e300, "é,\"", null);

        Assert.True(record.TryGetUtf8(0, out var integer));
        Assert.Equal((Utf8ValueKind.Integer, -7L), (integer.Kind, integer.Integer));
        Assert.True(record.TryGetUtf8(1, out var real));
        Assert.Equal((Utf8ValueKind.Real, -1.5e300), (real.Kind, real.Real));
        Assert.True(record.TryGetUtf8(2, out var text));
        Assert.Equal(Utf8ValueKind.Text, text.Kind);
        Assert.Equal(Encoding.UTF8.GetBytes("é,\""), text.Text.ToArray());
        Assert.True(record.TryGetUtf8(3, out var nothing));
        Assert.Equal(Utf8ValueKind.Null, nothing.Kind);
    }

    [Fact]
    public void TryGetUtf8_TextNotValidUtf8_IsRefusedAndGetValueDecodesItAsEncodingUtf8Does()
    {
        var rows = new Utf8Rows(1);
        byte[] invalid = [0x61, 0xff, 0x62];
        rows.BeginRow();
        rows.AddText(invalid);

        var record = rows.EndRow(new RecordSchema(["t"]), "row ", 1);

        Assert.False(record.TryGetUtf8(0, out _));
        Assert.Equal(Encoding.UTF8.GetString(invalid), record.GetValue(0));
        Assert.Equal("a\uFFFDb", record.GetValue(0));
    }

    [Fact]
    public void TryGetUtf8_RecordMadeOfValues_IsFalse()
    {
        var record = new Record(Schema, [1L, 2.0, "x", null]);

        Assert.False(record.TryGetUtf8(2, out _));
        Assert.Equal("x", record.GetValue(2));
    }

    [Fact]
    public void EndRow_RowsPastTheEndOfABlock_KeepEveryValue()
    {
        // Blocks of 64 bytes: most rows start in one block and move to the next; some are larger than a block.
        var rows = new Utf8Rows(4, blockSize: 64);
        var expected = Enumerable.Range(0, 300).Select(i => (Id: (long)i, Score: i / 4.0, Name: new string('x', i % 90) + "ü" + i, Note: i % 3 == 0 ? null : "n" + i)).ToList();

        var records = expected.Select(e => Row(rows, e.Id, e.Score, e.Name, e.Note)).ToList();

        Assert.Equal(expected.Select(e => new object?[] { e.Id, e.Score, e.Name, e.Note }), records.Select(r => r.Values.ToArray()));
    }

    [Fact]
    public void EndRow_FewerFieldsThanTheSchema_Throws()
    {
        var rows = new Utf8Rows(4);
        rows.BeginRow();
        rows.AddInteger(1);

        Assert.Throws<InvalidOperationException>(() => rows.EndRow(Schema, "row ", 1));
    }

    [Fact]
    public void Remap_Utf8Record_IsTheSourceOfTheMappedRecord()
    {
        var record = Row(new Utf8Rows(4), 5L, 1.0, "Ada", null);

        var mapped = record.Remap(new RecordSchema(["who"]), [record["name"]]);

        Assert.Equal("Ada", mapped["who"]);
        Assert.Same(record, mapped.Source);
        Assert.Equal("query row 7", mapped.Origin);
    }

    [Fact]
    public void GetValue_IndexPastTheLastField_Throws()
    {
        var record = Row(new Utf8Rows(4), 5L, 1.0, "Ada", null);

        Assert.Throws<ArgumentOutOfRangeException>(() => record.GetValue(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => record.TryGetUtf8(-1, out _));
    }

    private static Record Row(Utf8Rows rows, long id, double score, string? name, string? note)
    {
        rows.BeginRow();
        rows.AddInteger(id);
        rows.AddReal(score);
        AddText(rows, name);
        AddText(rows, note);
        return rows.EndRow(Schema, "query row ", 7);
    }

    private static void AddText(Utf8Rows rows, string? text)
    {
        if (text is null)
        {
            rows.AddNull();
        }
        else
        {
            rows.AddText(Encoding.UTF8.GetBytes(text));
        }
    }
}
