using EtlRunner.Execution;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Execution;

public sealed class RejectsFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private const string Line = """{"operation":"Load","stage":"write","origin":"in.csv:2","reason":"refused","record":{"email":"a@x"},"source":{"email":"a@x"}}""";

    [Fact]
    public void Read_LastLineTornByAKill_ReadsTheRestAndSaysWhichLineItIgnored()
    {
        var path = _folder.Write("Load.jsonl", Line + "\n" + Line.Replace("a@x", "b@x", StringComparison.Ordinal) + "\n" + Line[..40]);

        var file = RejectsFile.Read(path);

        Assert.Equal(["a@x", "b@x"], file.Records.Select(r => (string)r["email"]!));
        Assert.Equal(3, file.TornLine);
    }

    [Fact]
    public void Read_BrokenLineBeforeTheEnd_IsRefusedWithItsLineNumber()
    {
        var path = _folder.Write("Load.jsonl", Line[..40] + "\n" + Line + "\n");

        var error = Assert.Throws<InvalidDataException>(() => RejectsFile.Read(path));

        Assert.Contains("Load.jsonl:1:", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
