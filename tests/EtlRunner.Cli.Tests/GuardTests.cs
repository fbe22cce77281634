using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

public sealed class GuardTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private long Rows() => (long)SqliteFile.Scalar(_folder.File("db.sqlite"), "SELECT count(*) FROM contacts")!;

    private async Task<JsonElement> Delete(string guard)
    {
        var emails = Enumerable.Range(1, 10).Select(i => $"user{i}@example.com").ToList();
        _folder.Write("all.csv", "email\n" + string.Join('\n', emails) + "\n");
        _folder.Write("p.yaml", $$"""
            project: guards
            connections:
              - { name: All, type: csv, path: all.csv }
              - { name: Db, type: sqlite, database: db.sqlite }
            operations:
              - name: Load
                source: { connection: All, activity: query }
                target: { connection: Db, activity: create, table: contacts, create_table: true, key: [email] }
                on_success: Wipe
              - name: Wipe
                source: { connection: All, activity: query }
                target: { connection: Db, activity: delete, table: contacts, key: [email] }
                options: { batch_size: 2, max_deletes: "{{guard}}" }
            """);
        var result = await Cli.RunAsync(["run", _folder.File("p.yaml"), "--output", "json"]);
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations")[1].Clone();
    }

    [Theory]
    [InlineData("3", 2)]
    [InlineData("50%", 4)]
    public async Task Run_DeletesPastMaxDeletes_StopsBeforeTheLimitAndSaysHowToAllowIt(string guard, int deleted)
    {
        var wipe = await Delete(guard);

        Assert.Equal("error", wipe.GetProperty("status").GetString());
        Assert.StartsWith($"max_deletes ({guard}) reached", wipe.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("raise options.max_deletes", wipe.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(deleted, wipe.GetProperty("written").GetInt32());
        Assert.Equal(10 - deleted, Rows());
        Assert.Equal(10, wipe.GetProperty("read").GetInt32());
        Assert.Equal(10 - deleted, wipe.GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task Validate_BadGuard_IsReported()
    {
        _folder.Write("p.yaml", """
            project: guards
            connections:
              - { name: All, type: csv, path: all.csv }
            operations:
              - name: Copy
                source: { connection: All, activity: query }
                target: { connection: All, activity: create }
                options: { max_updates: lots }
            """);

        var result = await Cli.RunAsync(["validate", _folder.File("p.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'max_updates' must be a count (50) or a percentage (5%), not 'lots'", result.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
