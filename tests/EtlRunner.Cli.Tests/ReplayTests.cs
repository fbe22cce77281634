using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

public sealed class ReplayTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private const string Pipeline = """
        project: replay
        connections:
          - { name: Changes, type: csv, path: changes.csv }
          - { name: Db, type: sqlite, database: db.sqlite }
        operations:
          - name: Apply changes
            source: { connection: Changes, activity: query }
            transform:
              map: { email: "{{ record.email | string.downcase }}", company: "{{ record.company }}" }
            target: { connection: Db, activity: update, table: contacts, key: [email] }
        """;

    private void Execute(string sql) => SqliteFile.Execute(_folder.File("db.sqlite"), sql);

    [Fact]
    public async Task Replay_AfterTheCauseIsFixed_WritesTheRejectedRecords()
    {
        _folder.Write("p.yaml", Pipeline);
        _folder.Write("changes.csv", "email,company\nADA@example.com,Engines Ltd\nbob@example.com,Builders\n");
        Execute("CREATE TABLE contacts (email TEXT PRIMARY KEY, company TEXT); INSERT INTO contacts VALUES ('ada@example.com', 'old');");
        var first = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--output", "json"]);
        using var firstJson = JsonDocument.Parse(first.Out);
        var rejects = firstJson.RootElement.GetProperty("operations")[0].GetProperty("rejects_file").GetString()!;
        var line = JsonDocument.Parse(File.ReadAllLines(rejects).Single()).RootElement;
        Assert.Equal("bob@example.com", line.GetProperty("source").GetProperty("email").GetString());

        Execute("INSERT INTO contacts VALUES ('bob@example.com', 'unknown');");
        var replay = await Cli.RunAsync(["replay", rejects, "--output", "json"]);

        Assert.True(replay.ExitCode == 0, replay.ToString());
        using var json = JsonDocument.Parse(replay.Out);
        var operation = json.RootElement.GetProperty("operations")[0];
        Assert.Equal("Apply changes", operation.GetProperty("name").GetString());
        Assert.Equal(1, operation.GetProperty("read").GetInt32());
        Assert.Equal(1, operation.GetProperty("written").GetInt32());
        Assert.Equal(0, operation.GetProperty("rejected").GetInt32());
        Assert.Equal("Builders", SqliteFile.Scalar(_folder.File("db.sqlite"), "SELECT company FROM contacts WHERE email = 'bob@example.com'"));
    }

    [Fact]
    public async Task Replay_NotARejectsFile_Exits2WithTheLine()
    {
        var file = _folder.Write("bad.jsonl", "{\"operation\":\"x\",\"record\":{}}\nnot json\n");

        var result = await Cli.RunAsync(["replay", file, "--pipeline", _folder.Write("p.yaml", Pipeline)]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.jsonl:2: not a rejects line", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
