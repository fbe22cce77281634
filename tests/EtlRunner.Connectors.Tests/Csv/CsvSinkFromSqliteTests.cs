using System.Text;
using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Csv.CsvTestHelpers;
using static EtlRunner.Connectors.Tests.Sqlite.SqliteTestHelpers;

namespace EtlRunner.Connectors.Tests.Csv;

/// <summary>
/// A SQLite query's records reach a CSV target as the UTF-8 the query read: the file must be byte for byte the one the
/// same values written as strings and numbers make.
/// </summary>
public sealed class CsvSinkFromSqliteTests : IDisposable
{
    private const string Rows = """
        CREATE TABLE t (id INTEGER, label TEXT, amount REAL, photo BLOB, note TEXT);
        INSERT INTO t VALUES
          (1, 'plain', 1.5, NULL, NULL),
          (-9223372036854775808, 'comma, here', 0.1, x'00ff10', ''),
          (3, 'quote " here', 1e20, NULL, ' padded '),
          (4, 'line' || char(13) || char(10) || 'break', -0.0, NULL, 'cr' || char(13)),
          (5, 'Zoë – 東京 🙂', 3.0, x'', 'lf' || char(10)),
          (6, CAST(x'61ff62' AS TEXT), 2.5e-7, NULL, '"'),
          (7, 'tab	inside', NULL, NULL, 'semi;colon'),
          ('text id', 42, 9007199254740993, NULL, 123);
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Write_SqliteRecords_FileIsTheSameAsFromTheirValues()
    {
        var database = Database("utf8.db", Rows);
        var records = await QueryAsync(database, new() { ["table"] = "t" });

        var (fromUtf8, fromValues) = await WriteBothAsync(records, CsvTestHelpers.Connection(_folder.File("a.csv")), CsvTestHelpers.Connection(_folder.File("b.csv")));

        Assert.Equal(fromValues, fromUtf8);
        Assert.Equal(
            "id,label,amount,photo,note\r\n" +
            "1,plain,1.5,,\r\n" +
            "-9223372036854775808,\"comma, here\",0.1,AP8Q,\r\n" +
            "3,\"quote \"\" here\",1E+20,, padded \r\n" +
            "4,\"line\r\nbreak\",0,,\"cr\r\"\r\n" + // SQLite keeps -0.0 as 0
            "5,Zoë – 東京 🙂,3,,\"lf\n\"\r\n" +
            "6,a\uFFFDb,2.5E-07,,\"\"\"\"\r\n" +
            "7,tab\tinside,,,semi;colon\r\n" +
            "text id,42,9007199254740992,,123\r\n",
            Encoding.UTF8.GetString(fromUtf8));
    }

    [Fact]
    public async Task Write_SqliteRecordsToLatin1TabSeparatedFile_FileIsTheSameAsFromTheirValues()
    {
        var database = Database("latin1.db", "CREATE TABLE t (id INTEGER, label TEXT); INSERT INTO t VALUES (1, 'café'), (2, 'a\tb'), (3, 'x,y'), (4, 'Zoë \"q\"');");
        var records = await QueryAsync(database, new() { ["sql"] = "select id, label from t order by id" });

        var (fromUtf8, fromValues) = await WriteBothAsync(
            records,
            CsvTestHelpers.Connection(_folder.File("a.tsv"), delimiter: "\t", encoding: "latin1"),
            CsvTestHelpers.Connection(_folder.File("b.tsv"), delimiter: "\t", encoding: "latin1"));

        Assert.Equal(fromValues, fromUtf8);
        Assert.Equal(Encoding.Latin1.GetBytes("id\tlabel\r\n1\tcafé\r\n2\t\"a\tb\"\r\n3\tx,y\r\n4\t\"Zoë \"\"q\"\"\"\r\n"), fromUtf8);
    }

    [Fact]
    public async Task Read_Utf16Database_ValuesAreTheSameAsFromAUtf8One()
    {
        var utf16 = Database("utf16.db", "PRAGMA encoding = 'UTF-16le';" + Rows);
        var utf8 = Database("utf8.db", Rows);

        // Row 6 is left out: the bytes x'61ff62' cast to text are another text in a UTF-16 database.
        var fromUtf16 = await QueryAsync(utf16, new() { ["sql"] = "select * from t where id <> 6" });
        var fromUtf8 = await QueryAsync(utf8, new() { ["sql"] = "select * from t where id <> 6" });

        Assert.Equal(fromUtf8.Select(r => r.Values.ToArray()), fromUtf16.Select(r => r.Values.ToArray()));
        Assert.False(fromUtf16[0].TryGetUtf8(1, out _));
        Assert.True(fromUtf8[0].TryGetUtf8(1, out _));
    }

    private string Database(string name, string sql)
    {
        var path = _folder.File(name);
        Execute(path, sql);
        return path;
    }

    /// <summary>Writes the records as they are, then as records of their .NET values; returns both files' bytes.</summary>
    private static async Task<(byte[] FromUtf8, byte[] FromValues)> WriteBothAsync(List<Record> records, Dictionary<string, object?> first, Dictionary<string, object?> second)
    {
        var schema = records[0].Schema;
        var plain = records.Select(r => new Record(schema, [.. r.Values], r.Origin)).ToList();
        Assert.All(plain, r => Assert.False(r.TryGetUtf8(0, out _)));

        await Records.WriteAllAsync(CreateSink(first), records);
        await Records.WriteAllAsync(CreateSink(second), plain);
        return (File.ReadAllBytes((string)first["path"]!), File.ReadAllBytes((string)second["path"]!));
    }
}
