using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>The summary <c>etl run</c> prints on stdout: readable at any width, its counts adding up.</summary>
public sealed class SummaryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Quickstart()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        Cli.CopyFolder("examples", _folder.Path);
        return _folder.File("pipelines/quickstart.yaml");
    }

    [Fact]
    public async Task Run_At80Columns_SummaryFitsWithoutBreakingWordsAndShowsEveryCount()
    {
        var result = await Cli.RunAsync(["run", Quickstart(), "--sandbox"], width: 80);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 80, l));
        Assert.Contains("Create contacts: success in ", result.Out, StringComparison.Ordinal);
        Assert.Contains("  read 16 = filtered 4 + written 10 + skipped 0 + rejected 2", lines.Select(l => l.TrimEnd()));
        Assert.Contains("  read 3 = filtered 0 + written 2 + skipped 0 + rejected 1", lines.Select(l => l.TrimEnd()));
    }

    [Fact]
    public async Task RunAndHistory_EveryView_ShowsReadFilteredWrittenSkippedRejectedInThatOrder()
    {
        var file = Quickstart();

        var run = await Cli.RunAsync(["run", file, "--sandbox"]);
        var history = await Cli.RunAsync(["history", file, "--sandbox"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches("Create contacts: success in [^:]+: read 16, filtered 4, written 10, skipped 0, rejected 2", run.Error);
        Assert.Matches("Read +│ +Filtered +│ +Written +│ +Skipped +│ +Rejected +│ +Duration", run.Out);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Matches("Read +│ +Filtered +│ +Written +│ +Skipped +│ +Rejected +│ +Duration", history.Out);
        Assert.Matches("Create contacts +│ +success +│ +16 +│ +4 +│ +10 +│ +0 +│ +2 +│", history.Out);
    }

    public void Dispose() => _folder.Dispose();
}
