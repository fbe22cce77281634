using System.Text.Json;
using EtlRunner.State;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

public sealed class StateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private const string Incremental = """
        project: incremental
        connections:
          - { name: Changes, type: csv, path: changes.csv }
          - { name: Db, type: sqlite, database: out.db }
        operations:
          - name: Load changes
            source: { connection: Changes, activity: query, incremental: { field: updated_at, start: "2000-01-01" } }
            transform:
              where: record.updated_at > system.watermark
              map: { id: "{{ record.id }}", updated_at: "{{ record.updated_at }}" }
            target: { connection: Db, activity: create, table: t, create_table: true, key: [id], on_conflict: upsert }
        """;

    private async Task<JsonElement> RunJson(params string[] extra)
    {
        var result = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--output", "json", .. extra]);
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations")[0].Clone();
    }

    [Fact]
    public async Task Run_IncrementalSource_ResumesFromTheLastMark()
    {
        _folder.Write("p.yaml", Incremental);
        _folder.Write("changes.csv", "id,updated_at\n1,2026-01-01\n2,2026-01-02\n");

        Assert.Equal(2, (await RunJson()).GetProperty("written").GetInt32());
        File.AppendAllText(_folder.File("changes.csv"), "3,2026-01-03\n");
        var second = await RunJson();

        Assert.Equal(1, second.GetProperty("written").GetInt32());
        Assert.Equal(2, second.GetProperty("filtered").GetInt32());
        var full = await RunJson("--full");
        Assert.Equal((0, 3), (full.GetProperty("filtered").GetInt32(), full.GetProperty("unchanged").GetInt32())); // every row again, each identical already
    }

    [Fact]
    public async Task Run_FailedOperation_DoesNotAdvanceTheMark()
    {
        _folder.Write("p.yaml", Incremental.Replace("{{ record.id }}", "{{ record.id == '9' ? null : record.id }}", StringComparison.Ordinal) + "\n    options: { max_rejects: 0 }\n");
        _folder.Write("changes.csv", "id,updated_at\n1,2026-01-01\n9,2026-01-09\n");

        var failed = await RunJson();

        Assert.Equal("error", failed.GetProperty("status").GetString());
        using var store = new SqliteStateStore(_folder.File(".etl"));
        Assert.Null(store.GetWatermark(_folder.File("p.yaml"), "Load changes"));
    }

    [Fact]
    public async Task StateReset_ClearsTheMark_NextRunStartsOver()
    {
        _folder.Write("p.yaml", Incremental);
        _folder.Write("changes.csv", "id,updated_at\n1,2026-01-01\n");
        await RunJson();

        var reset = await Cli.RunAsync(["state", "reset", _folder.File("p.yaml"), "--operation", "Load changes"]);

        Assert.Equal(0, reset.ExitCode);
        Assert.Contains("cleared the watermark of 'Load changes' (was 2026-01-01)", reset.Out, StringComparison.Ordinal);
        var again = await RunJson();
        Assert.Equal((0, 1), (again.GetProperty("filtered").GetInt32(), again.GetProperty("unchanged").GetInt32())); // read again, the row identical already
    }

    [Fact]
    public async Task History_ListsOperationsNewestFirst()
    {
        _folder.Write("p.yaml", Incremental);
        _folder.Write("changes.csv", "id,updated_at\n1,2026-01-01\n");
        await RunJson();
        await RunJson();

        var result = await Cli.RunAsync(["history", _folder.File("p.yaml"), "--output", "json"]);

        using var json = JsonDocument.Parse(result.Out);
        var entries = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(0, entries[0].GetProperty("written").GetInt32());
        Assert.Equal(1, entries[1].GetProperty("written").GetInt32());
        var text = await Cli.RunAsync(["history", _folder.File("p.yaml"), "--operation", "Load changes", "--limit", "1"], width: 200);
        Assert.Contains("Load changes", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhileAnotherRunHoldsTheLock_IsRefused()
    {
        _folder.Write("p.yaml", Incremental);
        _folder.Write("changes.csv", "id,updated_at\n1,2026-01-01\n");
        using var held = RunLock.Acquire(_folder.File(".etl"), _folder.File("p.yaml"), "other-run", TimeProvider.System);

        var result = await Cli.RunAsync(["run", _folder.File("p.yaml")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("another run of", result.Error, StringComparison.Ordinal);
        Assert.Contains("run other-run", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateDatabase_IsReadableByItsOwnerOnly()
    {
        _folder.Write("p.yaml", Incremental);
        _folder.Write("changes.csv", "id,updated_at\n1,2026-01-01\n");

        await RunJson();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_folder.File(".etl/state.db")));
        }
    }

    public void Dispose() => _folder.Dispose();
}
