using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary><c>etl run --dry-run</c> asks each target what it would do: its counts are the real run's, and it changes nothing.</summary>
public sealed class DryRunTests : IDisposable
{
    private static readonly string[] CountKeys = ["read", "filtered", "written", "created", "updated", "deleted", "skipped", "unchanged", "rejected"];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A CSV of contacts upserted into a SQLite table that holds some of them already, and a CSV report of them.</summary>
    private string Pipeline(string table = "CREATE TABLE contacts (email TEXT PRIMARY KEY, name TEXT, age INTEGER CHECK (age >= 0))")
    {
        SqliteFile.Execute(_folder.File("db.sqlite"), table + "; INSERT INTO contacts VALUES ('ana@x', 'Ana', 30), ('bo@x', 'Bo', 40);");
        _folder.Write("people.csv", "email,name,age\nana@x,Ana,30\nbo@x,Bobby,40\ncy@x,Cy,-1\ndee@x,Dee,25\n");
        return _folder.Write("p.yaml", """
            project: dry
            variables:
              api_token: { secret: true }
            connections:
              - { name: People, type: csv, path: people.csv }
              - { name: Db, type: sqlite, database: db.sqlite }
              - { name: Report, type: csv, path: report.csv }
            operations:
              - name: Upsert people
                source: { connection: People, activity: query }
                transform:
                  map:
                    email: "{{ record.email }}"
                    name: "{{ record.name }}"
                    age: "{{ record.age | string.to_int }}"
                target: { connection: Db, activity: create, table: contacts, key: [email], on_conflict: upsert }
                on_success: Report people
              - name: Report people
                source: { connection: People, activity: query }
                transform:
                  map: { email: "{{ record.email }}", tag: "{{ api_token }}" }
                target: { connection: Report, activity: create }
            """);
    }

    private async Task<(CliResult Result, JsonElement Report)> RunJson(params string[] args)
    {
        var result = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--output", "json", "--var", "api_token=tok-5ecret-value", .. args]);
        using var json = JsonDocument.Parse(result.Out);
        return (result, json.RootElement.Clone());
    }

    private static IEnumerable<string> Counts(JsonElement report) =>
        report.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("name").GetString() + ": " + string.Join(", ", CountKeys.Select(k => $"{k} {o.GetProperty(k)}")));

    [Fact]
    public async Task DryRun_SqliteUpsert_PredictsCreatesUpdatesAndUnchangedExactlyAsTheRealRun()
    {
        Pipeline();

        var (dry, preview) = await RunJson("--dry-run");
        var (real, run) = await RunJson();

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(real.ExitCode == 0, real.ToString());
        Assert.Equal(Counts(run), Counts(preview));
        Assert.Equal("Upsert people: read 4, filtered 0, written 2, created 1, updated 1, deleted 0, skipped 1, unchanged 1, rejected 1", Counts(preview).First());
        Assert.Equal("Report people: read 4, filtered 0, written 4, created 4, updated 0, deleted 0, skipped 0, unchanged 0, rejected 0", Counts(preview).Last());
        Assert.True(preview.GetProperty("dry_run").GetBoolean());
    }

    [Fact]
    public async Task DryRun_ConstraintViolation_PredictsTheRejectWithTheRealReason()
    {
        Pipeline();

        var (_, preview) = await RunJson("--dry-run");
        var (_, run) = await RunJson();

        static string[] Reasons(JsonElement report) =>
            [.. File.ReadAllLines(report.GetProperty("operations")[0].GetProperty("rejects_file").GetString()!).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()!)];
        Assert.Equal(["CHECK constraint failed: age >= 0"], Reasons(preview));
        Assert.Equal(Reasons(run), Reasons(preview));
    }

    [Fact]
    public async Task DryRun_ChangesNothing()
    {
        Pipeline();
        var database = File.ReadAllBytes(_folder.File("db.sqlite"));
        _folder.Write("report.csv", "email,tag\nold@x,1\n");
        var report = File.ReadAllBytes(_folder.File("report.csv"));

        var (dry, preview) = await RunJson("--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(1, preview.GetProperty("operations")[0].GetProperty("updated").GetInt32()); // the target was asked, and changed nothing
        Assert.Equal(database, File.ReadAllBytes(_folder.File("db.sqlite")));
        Assert.Equal(report, File.ReadAllBytes(_folder.File("report.csv")));
        Assert.False(File.Exists(_folder.File("db.sqlite-wal")));
        Assert.DoesNotContain(Directory.GetFiles(_folder.Path), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DryRun_PreviewFile_HasOneLinePerRecordWithSecretsMasked()
    {
        Pipeline();
        _folder.Write("people.csv", "email,name,age\nana@x,Ana,30\nbo@x,Bobby,40\ncy@x,Cy,-1\ntok-5ecret-value@x,Dee,25\n");

        var (dry, _) = await RunJson("--dry-run", "--preview", _folder.File("preview/out.jsonl"));

        Assert.True(dry.ExitCode == 0, dry.ToString());
        var text = File.ReadAllText(_folder.File("preview/out.jsonl"));
        Assert.DoesNotContain("tok-5ecret-value", text, StringComparison.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(8, lines.Count);
        Assert.Equal(
            ["Upsert people|ana@x|skip||the row in contacts is identical already", "Upsert people|bo@x|update|name|", "Upsert people|cy@x|reject||CHECK constraint failed: age >= 0", "Upsert people|***@x|create||"],
            lines.Take(4).Select(l => string.Join('|', l.GetProperty("operation").GetString(), l.GetProperty("key").GetString(), l.GetProperty("action").GetString(),
                l.GetProperty("changed").ValueKind == JsonValueKind.Array ? string.Join(',', l.GetProperty("changed").EnumerateArray().Select(c => c.GetString())) : string.Empty,
                l.GetProperty("reason").GetString())));
        Assert.All(lines.Skip(4), l => Assert.Equal(("Report people", "create"), (l.GetProperty("operation").GetString(), l.GetProperty("action").GetString())));
    }

    [Fact]
    public async Task Run_PreviewWithoutDryRun_IsAUsageError()
    {
        Pipeline();

        var result = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--preview", _folder.File("out.jsonl")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--preview FILE needs --dry-run", result.Error + result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("out.jsonl")));
        Assert.False(File.Exists(_folder.File("report.csv")));
    }

    [Fact]
    public async Task Run_Upsert_SummaryJsonAndHistoryShowCreatedAndUpdated()
    {
        Pipeline();

        var (_, run) = await RunJson();
        var text = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--var", "api_token=tok-5ecret-value"], width: 200);
        var history = await Cli.RunAsync(["history", _folder.File("p.yaml"), "--output", "json"]);
        var dry = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--var", "api_token=tok-5ecret-value", "--dry-run"], width: 80);

        var upsert = run.GetProperty("operations")[0];
        Assert.Equal((1, 1, 1), (upsert.GetProperty("created").GetInt32(), upsert.GetProperty("updated").GetInt32(), upsert.GetProperty("unchanged").GetInt32()));
        Assert.Matches(@"Upsert people +│ +success +│ +4 +│ +0 +│ +0 +│ +0 +│ +0 +│ +0 +│ +3 +│ +3 +│ +1 +│", text.Out); // the second run: every row identical already
        Assert.Matches(@"Upsert people: success in [^:]+: read 4, filtered 0, written 0, skipped 3 \(unchanged 3\), rejected 1", text.Error);
        using var entries = JsonDocument.Parse(history.Out);
        var first = entries.RootElement.EnumerateArray().Last(e => e.GetProperty("operation").GetString() == "Upsert people");
        Assert.Equal((1, 1, 0, 1), (first.GetProperty("created").GetInt32(), first.GetProperty("updated").GetInt32(), first.GetProperty("deleted").GetInt32(), first.GetProperty("unchanged").GetInt32()));
        Assert.Contains("read 4 = filtered 0 + would write 0 + would skip 3 (unchanged 3) + would reject 1", Cli.Unwrapped(dry.Out), StringComparison.Ordinal);
        Assert.All(dry.Out.Split('\n'), l => Assert.True(l.TrimEnd().Length <= 80, l));
        Assert.DoesNotContain(" written", dry.Error, StringComparison.Ordinal);
    }
}
