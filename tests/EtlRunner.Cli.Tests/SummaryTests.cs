using System.Text.RegularExpressions;
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
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  read 16 = filtered 4 \+ written 10( \(created 10\))? \+ skipped 0 \+ rejected 2\s*$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^  read 3 = filtered 0 \+ written 2( \(updated 2\))? \+ skipped 0 \+ rejected 1\s*$"));
    }

    [Fact]
    public async Task RunAndHistory_EveryView_ShowsReadFilteredWrittenSkippedRejectedInThatOrder()
    {
        var file = Quickstart();

        var run = await Cli.RunAsync(["run", file, "--sandbox"]);
        var history = await Cli.RunAsync(["history", file, "--sandbox"], width: 220);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"Create contacts: success in [^:]+: read 16, filtered 4, written 10( \(created 10\))?, skipped 0, rejected 2", run.Error);
        Assert.Matches("Read +│ +Filtered +│ +Written +│ +Created +│ +Updated +│ +Deleted +│ +Skipped +│ +Unchanged +│ +Rejected +│ +Duration", run.Out);
        Assert.Matches(@"Mirror to warehouse +│ +success +│ +8 +│ +0 +│ +8 +│ +8 +│ +0 +│ +0 +│ +0 +│ +0 +│ +0 +│", run.Out);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Matches("Read +│ +Filtered +│ +Written +│ +Created +│ +Updated +│ +Deleted +│ +Skipped +│ +Unchanged +│ +Rejected +│ +Duration", history.Out);
        Assert.Matches(@"Create contacts +│ +success +│ +16 +│ +4 +│ +10 +│ +[-\d]+ +│ +[-\d]+ +│ +[-\d]+ +│ +0 +│ +[-\d]+ +│ +2 +│", history.Out);
    }

    public void Dispose() => _folder.Dispose();
}
