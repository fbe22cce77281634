using System.Text;
using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Csv.CsvTestHelpers;

namespace EtlRunner.Connectors.Tests.Csv;

public sealed class CsvSinkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Write_Records_WritesHeaderFromFirstRecordAndRows()
    {
        var path = _folder.File("out.csv");
        var batch = Records.Shared(["email", "name"], ["a@x", "Ada"], ["b@x", "Bob"]);

        var results = await Records.WriteAllAsync(CreateSink(Connection(path)), batch);

        Assert.Equal(2, results[0].Written);
        Assert.Equal("email,name\r\na@x,Ada\r\nb@x,Bob\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_ValuesOfEveryType_FormatsInvariantly()
    {
        var path = _folder.File("types.csv");
        var nested = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = new List<object?> { "x", null } };
        var record = Records.Of(
            ("long", 12345678901L), ("double", 0.1), ("decimal", 12.50m), ("yes", true), ("no", false), ("nothing", null),
            ("nested", nested), ("list", new object?[] { 1L, "é" }), ("when", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2))));

        await Records.WriteAllAsync(CreateSink(Connection(path)), [record]);

        var lines = File.ReadAllLines(path);
        Assert.Equal("12345678901,0.1,12.50,true,false,,\"{\"\"a\"\":1,\"\"b\"\":[\"\"x\"\",null]}\",\"[1,\"\"é\"\"]\",2024-05-06T07:08:09.0000000+02:00", lines[1]);
    }

    [Fact]
    public async Task Write_FieldsNeedingQuotes_RoundTripThroughQuery()
    {
        var path = _folder.File("round.csv");
        var batch = Records.Shared(["text"], ["comma, here"], ["quote \" here"], ["line\nbreak"], [""]);

        await Records.WriteAllAsync(CreateSink(Connection(path)), batch);
        var (records, context) = await ReadAsync(path);

        Assert.Empty(context.Rejects);
        Assert.Equal(["comma, here", "quote \" here", "line\nbreak", ""], records.Select(r => (string)r["text"]!));
    }

    [Fact]
    public async Task Write_LaterRecordMissingField_WritesItEmpty()
    {
        var path = _folder.File("missing.csv");

        await Records.WriteAllAsync(CreateSink(Connection(path)), [Records.Of(("a", "1"), ("b", "2")), Records.Of(("b", "3"))]);

        Assert.Equal("a,b\r\n1,2\r\n,3\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_LaterRecordWithExtraField_RejectsOnlyThatRecord()
    {
        var path = _folder.File("extra.csv");
        var extra = Records.Of(("a", "3"), ("b", "4"), ("c", "5"));

        var results = await Records.WriteAllAsync(CreateSink(Connection(path)), [Records.Of(("a", "1"), ("b", "2")), extra, Records.Of(("a", "6"))]);

        Assert.Equal(2, results[0].Written);
        var rejected = Assert.Single(results[0].Rejected);
        Assert.Same(extra, rejected.Record);
        Assert.Equal("the field 'c' is not a column of extra.csv (its columns are a, b)", rejected.Reason);
        Assert.Equal("a,b\r\n1,2\r\n6,\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_Overwrite_ReplacesFileOnlyOnComplete()
    {
        var path = _folder.Write("report.csv", "old\r\nrow\r\n");
        var sink = CreateSink(Connection(path), "overwrite");

        await sink.WriteAsync(Records.Shared(["new"], ["1"]), NullSinkContext.Instance, CancellationToken.None);
        var before = File.ReadAllText(path);
        await sink.CompleteAsync(CancellationToken.None);
        await sink.DisposeAsync();

        Assert.Equal("old\r\nrow\r\n", before);
        Assert.Equal("new\r\n1\r\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task Write_OverwriteFailedRun_LeavesOldFileAndNoTempFile()
    {
        var path = _folder.Write("report.csv", "old\r\n");
        var sink = CreateSink(Connection(path));

        await sink.WriteAsync(Records.Shared(["new"], ["1"]), NullSinkContext.Instance, CancellationToken.None);
        await sink.DisposeAsync();

        Assert.Equal("old\r\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public async Task Write_Append_AddsRowsByExistingHeaderWithoutSecondHeader()
    {
        var path = _folder.Write("log.csv", "b,a\r\n1,2\r\n");

        await Records.WriteAllAsync(CreateSink(Connection(path), "append"), [Records.Of(("a", "4"), ("b", "3"))]);

        Assert.Equal("b,a\r\n1,2\r\n3,4\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_AppendToNewFile_WritesHeader()
    {
        var path = _folder.File("sub/new.csv");

        await Records.WriteAllAsync(CreateSink(Connection(path), "append"), Records.Shared(["a"], ["1"]));

        Assert.Equal("a\r\n1\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_AppendToFileWithoutFinalLineBreak_StartsOnNewLine()
    {
        var path = _folder.Write("nolf.csv", "a\n1");

        await Records.WriteAllAsync(CreateSink(Connection(path), "append"), Records.Shared(["a"], ["2"]));

        Assert.Equal("a\n1\r\n2\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_NoHeaderTabDelimited_WritesRowsOnly()
    {
        var path = _folder.File("rows.tsv");

        await Records.WriteAllAsync(CreateSink(Connection(path, "tab", header: false)), Records.Shared(["a", "b"], ["1", "2"]));

        Assert.Equal("1\t2\r\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_NoRecords_OverwriteLeavesEmptyFile()
    {
        var path = _folder.Write("empty.csv", "old\r\n");

        await Records.WriteAllAsync(CreateSink(Connection(path)));

        Assert.Equal("", File.ReadAllText(path));
    }

    [Fact]
    public async Task Write_Latin1Encoding_WritesSingleBytes()
    {
        var path = _folder.File("l1.csv");

        await Records.WriteAllAsync(CreateSink(Connection(path, encoding: "latin1")), Records.Shared(["name"], ["José"]));

        Assert.Equal(Encoding.Latin1.GetBytes("name\r\nJosé\r\n"), File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Preview_Append_CreatesEachRecordRejectsAFieldTheFileHasNoColumnForAndLeavesTheFileAsItWas()
    {
        var path = _folder.File("out.csv");
        File.WriteAllText(path, "email,name\r\na@x,Ada\r\n");
        var batch = new[] { Records.Of(("email", "b@x"), ("name", "Bob")), Records.Of(("email", "c@x"), ("phone", "555")) };

        var preview = await Records.WriteAllAsync(CreateSink(Connection(path), mode: "append", preview: true), batch);

        Assert.Equal("email,name\r\na@x,Ada\r\n", File.ReadAllText(path));
        Assert.Equal([RecordAction.Create, RecordAction.Reject], preview[0].Previews!.Select(p => p.Action));
        var written = await Records.WriteAllAsync(CreateSink(Connection(path), mode: "append"), batch);
        Assert.Equal(written[0].Rejected.Select(r => r.Reason), preview[0].Rejected.Select(r => r.Reason));
        Assert.Equal((1, new WriteKinds(1, 0, 0, 0)), (preview[0].Written, preview[0].Kinds));
        Assert.Equal(preview[0].Kinds, written[0].Kinds);
    }

    [Fact]
    public async Task Preview_Overwrite_WritesNoFile()
    {
        var path = _folder.File("new.csv");

        var preview = await Records.WriteAllAsync(CreateSink(Connection(path), preview: true), Records.Shared(["email"], ["a@x"], ["b@x"]));

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_folder.Path));
        Assert.Equal(new WriteKinds(2, 0, 0, 0), preview[0].Kinds);
    }
}
