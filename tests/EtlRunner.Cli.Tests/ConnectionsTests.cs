using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

public sealed class ConnectionsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Connections_Quickstart_ListsTypesAndEveryUse()
    {
        var file = Path.Combine(Cli.RepositoryRoot, "pipelines", "quickstart.yaml");

        var result = await Cli.RunAsync(["connections", file, "--output", "json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var cc = json.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Constant Contact");
        Assert.Equal("constantcontact", cc.GetProperty("type").GetString());
        var uses = cc.GetProperty("used_by").EnumerateArray().Select(u => $"{u.GetProperty("operation").GetString()}:{u.GetProperty("role").GetString()}:{u.GetProperty("activity").GetString()}").ToList();
        Assert.Equal(["Create contacts:target:create", "Update companies:target:update", "Remove unsubscribes:target:unsubscribe", "Mirror to warehouse:source:query"], uses);
    }

    [Fact]
    public async Task Validate_RenamedConnectionStillUsed_ReportsEveryPlaceThatRefersToIt()
    {
        var yaml = File.ReadAllText(Path.Combine(Cli.RepositoryRoot, "pipelines", "quickstart.yaml"))
            .Replace("  - name: Constant Contact\n", "  - name: CC\n", StringComparison.Ordinal);
        var file = _folder.Write("pipelines/renamed.yaml", yaml);

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        var problems = result.Out.Split('\n').Where(l => l.Contains("no connection named 'Constant Contact'", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, problems.Count);
        Assert.All(problems, p => Assert.Matches(@"renamed\.yaml:\d+:\d+: ", p));
    }

    public void Dispose() => _folder.Dispose();
}
