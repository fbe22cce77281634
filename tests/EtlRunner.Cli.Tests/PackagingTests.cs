using System.Text.RegularExpressions;

namespace EtlRunner.Cli.Tests;

/// <summary>What an installed <c>etl</c> tool shows about itself: its version and commit, and help on every command.</summary>
public sealed partial class PackagingTests
{
    [Fact]
    public async Task Version_PrintsVersionAndCommit()
    {
        var result = await Cli.RunAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(VersionPattern(), result.Out.Trim());
    }

    [Fact]
    public async Task Help_EveryCommand_HasDescriptionDescribedOptionsAndExample()
    {
        var commands = await CommandsAsync([]);

        Assert.Contains("run", commands);
        Assert.Contains("init", commands);
        Assert.Contains("sandbox constantcontact", commands);
        foreach (var command in commands)
        {
            var help = await Cli.RunAsync([.. command.Split(' '), "--help"]);

            Assert.True(help.ExitCode == 0, command + "\n" + help);
            var description = Section(help.Out, "DESCRIPTION");
            Assert.True(description.Any(l => l.Trim().Length > 0), $"etl {command}: no description");
            Assert.Contains(Section(help.Out, "EXAMPLES"), l => l.Trim().StartsWith("etl " + command, StringComparison.Ordinal));
            foreach (var option in Section(help.Out, "OPTIONS").Where(l => l.TrimStart().StartsWith('-')))
            {
                Assert.True(Columns().Split(option.Trim()).Length >= 2, $"etl {command}: option without a description: {option.Trim()}");
            }
        }
    }

    /// <summary>Every leaf command, found by walking the COMMANDS sections of the help, branches included.</summary>
    private static async Task<List<string>> CommandsAsync(string[] branch)
    {
        var help = await Cli.RunAsync([.. branch, "--help"]);
        var names = Section(help.Out, "COMMANDS")
            .Where(l => l.StartsWith("    ", StringComparison.Ordinal) && !l.StartsWith("     ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0]);
        var commands = new List<string>();
        foreach (var name in names)
        {
            var path = (string[])[.. branch, name];
            var children = await CommandsAsync(path);
            commands.AddRange(children.Count > 0 ? children : [string.Join(' ', path)]);
        }

        return commands;
    }

    /// <summary>The lines under a help heading such as <c>OPTIONS:</c>, up to the next heading.</summary>
    private static List<string> Section(string help, string heading)
    {
        var lines = help.Split('\n').Select(l => l.TrimEnd()).ToList();
        var start = lines.IndexOf(heading + ":");
        return start < 0 ? [] : lines.Skip(start + 1).TakeWhile(l => !Heading().IsMatch(l)).Where(l => l.Length > 0).ToList();
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(\+[0-9a-f]{7,})?$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[A-Z]+:$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();
}
