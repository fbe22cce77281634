using System.Text.Json;
using System.Text.RegularExpressions;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>The command line forgives and explains: did-you-mean, usage errors before anything starts, help, unexpected errors, JSON logs.</summary>
public sealed class CommandLineTests : IDisposable
{
    private const string Secret = "s3cr3t-in-a-path";

    private readonly TempFolder _folder = new();

    private string CsvPipeline(string folder = ".")
    {
        _folder.Write(Path.Combine(folder, "in.csv"), "id,name\n1,Ana\n2,Bo\n");
        return _folder.Write(Path.Combine(folder, "p.yaml"), """
            project: copy
            variables:
              api_token: { secret: true }
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                transform: { map: { id: "{{ record.id }}", token: "{{ api_token }}" } }
                target: { connection: Out, activity: create }
            """);
    }

    [Fact]
    public async Task UnknownCommand_SuggestsTheNearestAndExits2()
    {
        var result = await Cli.RunAsync(["runn", "pipelines/quickstart.yaml"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown command 'runn' (did you mean 'run'?)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_SuggestsTheNearestAndExits2()
    {
        var result = await Cli.RunAsync(["run", CsvPipeline(), "--sandbx"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown option '--sandbx' of 'etl run' (did you mean '--sandbox'?)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupAlone_PrintsItsHelpAndExits0LikeEtlAlone()
    {
        var alone = await Cli.RunAsync([]);
        var sandbox = await Cli.RunAsync(["sandbox"]);

        Assert.Equal(0, alone.ExitCode);
        Assert.Equal(0, sandbox.ExitCode);
        Assert.Contains("constantcontact", sandbox.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VarAsTheLastArgument_SaysItExpectsNameValue()
    {
        var result = await Cli.RunAsync(["run", CsvPipeline(), "--var"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--var expects NAME=VALUE", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("__default_command", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogLevelThatIsNotALevel_ListsTheLevelsAndExits2()
    {
        var result = await Cli.RunAsync(["run", CsvPipeline(), "--var", "api_token=x1y2z3", "--log-level", "verbose"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--log-level must be one of trace, debug, information, warning, error, critical or none, not 'verbose'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.File("out.csv")), "nothing runs on a usage error");
    }

    [Fact]
    public async Task SandboxPortOutOfRange_IsAUsageErrorBeforeTheSandboxStarts()
    {
        var result = await Cli.RunAsync(["sandbox", "constantcontact", "--port", "99999"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--port must be a port number from 1 to 65535", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnexpectedError_NamesWhereAndPointsAtDebug()
    {
        var directory = Directory.CreateDirectory(_folder.File(Secret)).FullName;

        var result = await Cli.RunAsync(["run", CsvPipeline(), "--var", "api_token=" + Secret, "--log-file", directory]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unexpected error in CliLogging: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("; run with --debug for details", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--debug")]
    [InlineData("--log-level=trace")]
    public async Task UnexpectedError_WithDebug_PrintsTheStackTraceMasked(string debug)
    {
        var directory = Directory.CreateDirectory(_folder.File(Secret)).FullName;

        var result = await Cli.RunAsync(["run", CsvPipeline(), "--var", "api_token=" + Secret, "--log-file", directory, debug]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unexpected error in CliLogging: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("at EtlRunner.Cli.Output.CliLogging", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_StartsWithWhatEtlIs()
    {
        var result = await Cli.RunAsync(["--help"]);

        Assert.StartsWith("etl runs declarative data pipelines", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_WithoutACommand_ListsEveryCommandAndBranch()
    {
        var result = await Cli.RunAsync(["--help"]);

        var commands = Regex.Matches(result.Out[result.Out.IndexOf("COMMANDS:", StringComparison.Ordinal)..], @"^ {4}(\w+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(["run", "init", "validate", "plan", "test", "schema", "connections", "replay", "history", "agent", "status", "state", "sandbox"], commands);
    }

    [Fact]
    public async Task Help_OfABranchCommand_HasItsDescriptionAndExample()
    {
        var result = await Cli.RunAsync(["state", "reset", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Clear an operation's incremental watermark", result.Out, StringComparison.Ordinal);
        Assert.Contains("etl state reset pipelines/contact-export.yaml --operation", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_EachCommandDescribesItsOwnFileArgument()
    {
        var run = await Cli.RunAsync(["run", "--help"]);
        var replay = await Cli.RunAsync(["replay", "--help"]);

        Assert.DoesNotContain("rejects file", run.Out, StringComparison.Ordinal);
        Assert.Contains("<FILE>    The pipeline file (.yaml)", run.Out, StringComparison.Ordinal);
        Assert.Contains("<REJECTS_FILE>", replay.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("The pipeline file (.yaml)", replay.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_FirstExample_WorksOnAFreshClone()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        Cli.CopyFolder("examples", _folder.Path);
        var help = await Cli.RunAsync(["--help"]);
        var example = help.Out.Split('\n').SkipWhile(l => !l.StartsWith("EXAMPLES:", StringComparison.Ordinal)).Skip(1).First().Trim();
        var args = example.Split(' ').Skip(1).Select(a => a.EndsWith(".yaml", StringComparison.Ordinal) ? Path.Combine(_folder.Path, a) : a).ToArray();

        var result = await Cli.RunAsync([.. args, "--quiet"]);

        Assert.True(result.ExitCode == 0, example + "\n" + result);
    }

    [Fact]
    public async Task LogFormatJson_WritesOneMaskedJsonObjectPerLogLine()
    {
        var result = await Cli.RunAsync(["run", CsvPipeline(), "--var", "api_token=" + Secret, "--log-level", "information", "--log-format", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(Secret, result.Error, StringComparison.Ordinal);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var ended = 0;
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.String, root.GetProperty("timestamp").ValueKind);
            Assert.Equal(JsonValueKind.String, root.GetProperty("level").ValueKind);
            Assert.True(root.TryGetProperty("run_id", out _) && root.TryGetProperty("operation", out _), line);
            Assert.Equal(JsonValueKind.String, root.GetProperty("message").ValueKind);
            if (root.GetProperty("fields").TryGetProperty("Written", out var written))
            {
                Assert.Equal(2, written.GetInt32());
                Assert.Equal("Copy", root.GetProperty("operation").GetString());
                ended++;
            }
        }

        Assert.Equal(1, ended);
    }

    [Fact]
    public async Task History_OfAFile_ShowsItsSandboxAndRealRunsMarked()
    {
        var pipeline = CsvPipeline("pipes");
        Assert.Equal(0, (await Cli.RunAsync(["run", pipeline, "--var", "api_token=x1y2z3", "--quiet"])).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(["run", pipeline, "--var", "api_token=x1y2z3", "--quiet", "--sandbox"])).ExitCode);

        var ofFile = await Cli.RunAsync(["history", pipeline, "--output", "json"]);
        var below = await Cli.RunAsync(["history", "--output", "json"], workingDirectory: _folder.Path);
        var text = await Cli.RunAsync(["history", pipeline]);

        foreach (var result in new[] { ofFile, below })
        {
            using var json = JsonDocument.Parse(result.Out);
            var sandbox = json.RootElement.EnumerateArray().Select(e => e.GetProperty("sandbox").GetBoolean()).ToList();
            Assert.Equal([true, false], sandbox); // newest first
        }

        Assert.Contains("(sandbox)", Cli.Unwrapped(text.Out), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SecretsMissingInAConstantContactPipeline_SaysHowToProvideThemAndSuggestsSandbox()
    {
        Cli.CopyFolder("pipelines", _folder.Path);

        var result = await Cli.RunAsync(["run", _folder.File("pipelines/quickstart.yaml")]);

        Assert.Equal(2, result.ExitCode);
        var hint = result.Error.Split('\n').Single(l => l.StartsWith("hint:", StringComparison.Ordinal));
        foreach (var part in new[] { "cc_api_key", "ETL_VAR_CC_API_KEY", "--env-file", "--var", "--sandbox" })
        {
            Assert.Contains(part, hint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_SandboxWithAnotherError_NeverReportsTheSecretsTheSandboxSupplies()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        var file = _folder.File("pipelines/quickstart.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\noperations:", "\nbogus_top: 1\noperations:", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["run", file, "--sandbox"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown key 'bogus_top'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("cc_api_key", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("cc_access_token", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_VarWithARelativePath_ResolvesItAgainstTheFolderItWasTypedIn()
    {
        _folder.Write("typed-here/signups.csv", "id,name\n1,from the current folder\n");
        _folder.Write("pipes/signups.csv", "id,name\n1,beside the pipeline\n");
        var pipeline = _folder.Write("pipes/p.yaml", """
            project: paths
            variables:
              input: signups.csv
              signups: "[input]"
            connections:
              - { name: In, type: csv, path: "[signups]" }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
            """);

        var typed = await Cli.RunAsync(["run", pipeline, "--var", "input=signups.csv", "--quiet"], workingDirectory: _folder.File("typed-here"));
        Assert.True(typed.ExitCode == 0, typed.ToString());
        Assert.Contains("from the current folder", File.ReadAllText(_folder.File("pipes/out.csv")), StringComparison.Ordinal);

        File.Delete(_folder.File("pipes/out.csv"));
        var fromYaml = await Cli.RunAsync(["run", pipeline, "--quiet"], workingDirectory: _folder.File("typed-here"));
        Assert.True(fromYaml.ExitCode == 0, fromYaml.ToString());
        Assert.Contains("beside the pipeline", File.ReadAllText(_folder.File("pipes/out.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OperationWarning_IsPrintedOnceInTheSummaryNotAlsoAsALogLine()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        Cli.CopyFolder("examples", _folder.Path);
        var log = _folder.File("run.log");

        var result = await Cli.RunAsync(["run", _folder.File("pipelines/quickstart.yaml"), "--sandbox", "--log-file", log]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var said = Cli.Unwrapped(result.Out + result.Error);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(said, "2 of 16 records read \\(12.5%\\) were rejected"));
        Assert.Contains("2 of 16 records read (12.5%) were rejected", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DryRun_ProgressSaysWouldWriteNeverWritten()
    {
        var result = await Cli.RunAsync(["run", CsvPipeline(), "--var", "api_token=x1y2z3", "--dry-run"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Copy: success", result.Error, StringComparison.Ordinal);
        Assert.Contains("would write 2", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("written", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
