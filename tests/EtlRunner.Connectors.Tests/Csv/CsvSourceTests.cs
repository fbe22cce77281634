using System.Text;
using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Csv.CsvTestHelpers;

namespace EtlRunner.Connectors.Tests.Csv;

public sealed class CsvSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Read_SimpleFile_RecordsShareOneSchemaOfStrings()
    {
        var path = _folder.Write("people.csv", "name,age\nAda,36\nAlan,41\n");

        var (records, context) = await ReadAsync(path);

        Assert.Equal(2, records.Count);
        Assert.Same(records[0].Schema, records[1].Schema);
        Assert.Equal(["name", "age"], records[0].Schema.Names);
        Assert.Equal("Ada", records[0]["name"]);
        Assert.Equal("41", records[1]["age"]);
        Assert.Equal("people.csv:2", records[0].Origin);
        Assert.Equal("people.csv:3", records[1].Origin);
        Assert.Empty(context.Rejects);
    }

    [Fact]
    public async Task Read_QuotedFieldWithNewline_KeepsNewline()
    {
        var path = _folder.Write("notes.csv", "id,note\r\n1,\"first line\r\nsecond line\"\r\n2,plain\r\n");

        var (records, _) = await ReadAsync(path);

        Assert.Equal("first line\r\nsecond line", records[0]["note"]);
        Assert.Equal("notes.csv:2", records[0].Origin);
        Assert.Equal("notes.csv:4", records[1].Origin);
    }

    [Fact]
    public async Task Read_QuotedFieldWithDelimiterAndDoubledQuotes_Unescapes()
    {
        var path = _folder.Write("q.csv", "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n");

        var (records, _) = await ReadAsync(path);

        Assert.Equal("x, y", records[0]["a"]);
        Assert.Equal("say \"hi\"", records[0]["b"]);
    }

    [Fact]
    public async Task Read_Utf8ByteOrderMark_IsIgnored()
    {
        var path = _folder.WriteBytes("bom.csv", [0xEF, 0xBB, 0xBF, .. "email,name\nx@y.z,Zoë\n"u8]);

        var (records, _) = await ReadAsync(path);

        Assert.Equal(["email", "name"], records[0].Schema.Names);
        Assert.Equal("Zoë", records[0]["name"]);
    }

    [Fact]
    public async Task Read_EmptyField_IsEmptyString()
    {
        var path = _folder.Write("e.csv", "a,b,c\n1,,\"\"\n");

        var (records, _) = await ReadAsync(path);

        Assert.Equal("", records[0]["b"]);
        Assert.Equal("", records[0]["c"]);
    }

    [Fact]
    public async Task Read_RaggedRow_RejectsOnlyThatRow()
    {
        var path = _folder.Write("ragged.csv", "a,b,c\n1,2,3\n4,5,6,7\n8,9\n10,11,12\n");

        var (records, context) = await ReadAsync(path);

        Assert.Equal(["1", "10"], records.Select(r => (string)r["a"]!));
        Assert.Equal(2, context.Rejects.Count);
        Assert.Equal(("ragged.csv:3", "4,5,6,7", "line 3: expected 3 fields, found 4"), context.Rejects[0]);
        Assert.Equal("line 4: expected 3 fields, found 2", context.Rejects[1].Reason);
    }

    [Fact]
    public async Task Read_UnterminatedQuote_RejectsTheRowThenFailsTheReadNamingWhereItStarted()
    {
        var path = _folder.Write("open.csv", "a,b\n1,2\n3,\"never closed\n5,6\n");

        var context = new RecordingSourceContext();

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(path, context));

        Assert.StartsWith("open.csv:3: a quoted field opened on line 3 is never closed, so the rest of the file (2 line(s), to the end) was swallowed", failure.Message, StringComparison.Ordinal);
        var reject = Assert.Single(context.Rejects);
        Assert.Equal("open.csv:3", reject.Origin);
        Assert.StartsWith("line 3: a quoted field is never closed", reject.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TextAfterClosingQuote_RejectsRow()
    {
        var path = _folder.Write("after.csv", "a,b\n\"ab\"c,1\n2,3\n");

        var (records, context) = await ReadAsync(path);

        Assert.Equal("2", Assert.Single(records)["a"]);
        Assert.StartsWith("line 2: text after the closing quote", Assert.Single(context.Rejects).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_StrayQuoteInUnquotedField_KeepsItAsText()
    {
        var path = _folder.Write("stray.csv", "item,size\npipe,12\" long\n");

        var (records, context) = await ReadAsync(path);

        Assert.Equal("12\" long", Assert.Single(records)["size"]);
        Assert.Empty(context.Rejects);
    }

    [Fact]
    public async Task Read_InvalidUtf8_RejectsRowAndGoesOn()
    {
        var path = _folder.WriteBytes("bad.csv", [.. "a,b\n1,2\n3,"u8, 0xC3, 0x28, .. "\n5,6\n"u8]);

        var (records, context) = await ReadAsync(path);

        Assert.Equal(["1", "5"], records.Select(r => (string)r["a"]!));
        var reject = Assert.Single(context.Rejects);
        Assert.Equal("bad.csv:3", reject.Origin);
        Assert.Equal("line 3: the row holds bytes that are not valid utf-8", reject.Reason);
    }

    [Fact]
    public async Task Read_EmptyFile_ReturnsNoRecords()
    {
        var path = _folder.Write("empty.csv", "");

        var (records, context) = await ReadAsync(path);

        Assert.Empty(records);
        Assert.Empty(context.Rejects);
    }

    [Fact]
    public async Task Read_HeaderOnly_ReturnsNoRecords()
    {
        var path = _folder.Write("header.csv", "a,b,c\r\n");

        var (records, context) = await ReadAsync(path);

        Assert.Empty(records);
        Assert.Empty(context.Rejects);
    }

    [Fact]
    public async Task Read_MissingFile_ThrowsNamingPath()
    {
        var path = _folder.File("nope.csv");

        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAsync(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NoHeader_NamesFieldsByPosition()
    {
        var path = _folder.Write("raw.csv", "1,2,3\n4,5,6\n");

        var (records, _) = await ReadAsync(Connection(path, header: false));

        Assert.Equal(2, records.Count);
        Assert.Equal(["column1", "column2", "column3"], records[0].Schema.Names);
        Assert.Equal("raw.csv:1", records[0].Origin);
    }

    [Fact]
    public async Task Read_DuplicateAndEmptyHeaderNames_AreMadeUnique()
    {
        var path = _folder.Write("dup.csv", "name,name,,name_2\n1,2,3,4\n");

        var (records, _) = await ReadAsync(path);

        Assert.Equal(["name", "name_2", "column3", "name_2_2"], records[0].Schema.Names);
    }

    [Theory]
    [InlineData("tab", "a\tb\n1\t2\n")]
    [InlineData("\t", "a\tb\n1\t2\n")]
    [InlineData(";", "a;b\n1;2\n")]
    public async Task Read_OtherDelimiter_SplitsOnIt(string delimiter, string text)
    {
        var path = _folder.Write("d.csv", text);

        var (records, _) = await ReadAsync(Connection(path, delimiter));

        Assert.Equal("2", Assert.Single(records)["b"]);
    }

    [Theory]
    [InlineData("latin1")]
    [InlineData("windows-1252")]
    public async Task Read_SingleByteEncoding_DecodesAccents(string encoding)
    {
        var path = _folder.WriteBytes("l.csv", Encoding.Latin1.GetBytes("name\nJosé\n"));

        var (records, _) = await ReadAsync(Connection(path, encoding: encoding));

        Assert.Equal("José", Assert.Single(records)["name"]);
    }

    [Fact]
    public async Task Read_Utf16WithByteOrderMark_Decodes()
    {
        var path = _folder.WriteBytes("u.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("name,city\nZoë,Köln\n")]);

        var (records, _) = await ReadAsync(Connection(path, encoding: "utf-16"));

        Assert.Equal(["name", "city"], records[0].Schema.Names);
        Assert.Equal("Köln", Assert.Single(records)["city"]);
    }

    [Fact]
    public async Task Read_AsciiWithHighBytes_RejectsRow()
    {
        var path = _folder.WriteBytes("a.csv", Encoding.Latin1.GetBytes("name\nplain\nJosé\n"));

        var (records, context) = await ReadAsync(Connection(path, encoding: "ascii"));

        Assert.Equal("plain", Assert.Single(records)["name"]);
        Assert.Equal("line 3: the row holds bytes that are not valid us-ascii", Assert.Single(context.Rejects).Reason);
    }

    [Fact]
    public async Task Read_LargeFile_ReportsProgressUpToFileLength()
    {
        var text = new StringBuilder("id,text\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append(i).Append(",some words to make the line longer than a few bytes\n");
        }

        var path = _folder.Write("big.csv", text.ToString());
        var length = new FileInfo(path).Length;

        var (records, context) = await ReadAsync(path);

        Assert.Equal(5000, records.Count);
        Assert.True(context.Progress.Count >= 3, $"{context.Progress.Count} progress reports");
        Assert.Equal((length, length), context.Progress[^1]);
        Assert.All(context.Progress, p => Assert.Equal(length, p.Total));
    }
}
