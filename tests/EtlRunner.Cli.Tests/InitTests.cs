using System.Text.Json;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Init;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary><c>etl init</c>: a scaffold a team can commit at once, that validates and runs with --sandbox straight away.</summary>
public sealed class InitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Repository => Path.Combine(_folder.Path, "team-pipelines");

    [Fact]
    public async Task Init_NewFolder_ScaffoldValidatesAndRunsWithSandbox()
    {
        var init = await Cli.RunAsync(["init", Repository]);

        Assert.True(init.ExitCode == 0, init.ToString());
        var validate = await Cli.RunAsync(["validate", Path.Combine(Repository, "pipelines")]);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("1 test(s) passed, 0 failed", validate.Error, StringComparison.Ordinal);
        var run = await Cli.RunAsync(["run", Path.Combine(Repository, "pipelines", "contacts.yaml"), "--sandbox", "--output", "json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var export = json.RootElement.GetProperty("operations")[0];
        Assert.Equal("success", export.GetProperty("status").GetString());
        Assert.True(export.GetProperty("written").GetInt64() > 0, export.ToString());
        Assert.True(File.Exists(Path.Combine(Repository, "out", "contacts.db")));
    }

    [Fact]
    public async Task Run_ScaffoldTwiceWithSandbox_KeepsTheSandboxContacts_AndSandboxResetStartsAfresh()
    {
        // Given
        await Cli.RunAsync(["init", Repository]);
        var pipeline = Path.Combine(Repository, "pipelines", "contacts.yaml");
        var database = Path.Combine(Repository, "out", "contacts.db");
        List<string> Ids() => [.. SqliteFile.Rows(database, "SELECT contact_id FROM contacts ORDER BY contact_id").Select(r => (string)r[0]!)];

        // When: two runs, a reset, a third run
        var first = await Cli.RunAsync(["run", pipeline, "--sandbox", "--quiet"]);
        var afterFirst = Ids();
        var second = await Cli.RunAsync(["run", pipeline, "--sandbox", "--quiet"]);
        var afterSecond = Ids();
        var reset = await Cli.RunAsync(["sandbox", "reset", pipeline]);
        var third = await Cli.RunAsync(["run", pipeline, "--sandbox", "--quiet"]);

        // Then: the second run saw the first run's contacts with their ids; after the reset the seed came back with new ids
        foreach (var result in new[] { first, second, reset, third })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        Assert.Equal(12, afterFirst.Count);
        Assert.Equal(afterFirst, afterSecond);
        var dataFile = Path.Combine(Repository, "pipelines", ".etl", "sandbox", "sandbox-data", "contacts.db");
        Assert.StartsWith($"deleted {dataFile}", reset.Out, StringComparison.Ordinal);
        Assert.Equal(12, Ids().Except(afterFirst).Count());
    }

    [Fact]
    public async Task Init_NewFolder_WritesEveryFileAndSaysWhatNext()
    {
        var result = await Cli.RunAsync(["init", Repository]);

        Assert.Equal(0, result.ExitCode);
        foreach (var path in new[] { "pipelines/contacts.yaml", "schema/pipeline.schema.json", ".env.example", ".gitignore", "README.md" })
        {
            Assert.True(File.Exists(Path.Combine(Repository, path)), path);
            Assert.Contains(path, result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("etl run pipelines/contacts.yaml --sandbox", result.Out, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Init_Scaffold_PointsOnlyAtFilesItContains()
    {
        await Cli.RunAsync(["init", Repository]);

        var pipeline = Path.Combine(Repository, "pipelines", "contacts.yaml");
        var schemaLine = File.ReadLines(pipeline).First();
        Assert.StartsWith("# yaml-language-server: $schema=", schemaLine, StringComparison.Ordinal);
        var schemaPath = Path.GetFullPath(schemaLine["# yaml-language-server: $schema=".Length..], Path.GetDirectoryName(pipeline)!);
        using var schema = JsonDocument.Parse(File.ReadAllText(schemaPath));
        Assert.Equal("EtlRunner pipeline", schema.RootElement.GetProperty("title").GetString());
        var readme = File.ReadAllText(Path.Combine(Repository, "README.md"));
        foreach (var row in readme.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var path = row.Split('`')[1];
            Assert.True(File.Exists(Path.Combine(Repository, path)), $"README.md names {path}, which the scaffold does not contain");
        }

        Assert.DoesNotContain("the docs'", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_CiExample_InstallsTheToolFromALocalBuild()
    {
        await Cli.RunAsync(["init", Repository]);

        var readme = File.ReadAllText(Path.Combine(Repository, "README.md"));
        var steps = readme.Split('\n').Where(l => l.TrimStart().StartsWith("- run:", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        var pack = steps.FindIndex(s => s.StartsWith("- run: dotnet pack ", StringComparison.Ordinal) && s.EndsWith(" -o artifacts", StringComparison.Ordinal));
        var install = steps.FindIndex(s => s.StartsWith("- run: dotnet tool install", StringComparison.Ordinal));
        Assert.True(pack >= 0 && install > pack, string.Join("\n", steps));
        Assert.Contains("--add-source artifacts EtlRunner", steps[install], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_EnvExampleAndGitIgnore_NameTheSecretsAndKeepStateOut()
    {
        await Cli.RunAsync(["init", Repository]);

        var env = File.ReadAllLines(Path.Combine(Repository, ".env.example"));
        foreach (var name in new[] { "cc_api_key", "cc_access_token", "cc_refresh_token", "cc_client_secret" })
        {
            Assert.Contains(name + "=", env);
        }

        Assert.Contains(env, l => l.StartsWith('#'));
        var ignored = File.ReadAllLines(Path.Combine(Repository, ".gitignore"));
        Assert.Contains(".env", ignored);
        Assert.Contains(".etl/", ignored);
        Assert.Contains("out/", ignored);
    }

    [Fact]
    public async Task Init_ExistingFiles_Exits2ListingThemAndWritesNothing()
    {
        Directory.CreateDirectory(Repository);
        File.WriteAllText(Path.Combine(Repository, "README.md"), "ours");
        File.WriteAllText(Path.Combine(Repository, ".gitignore"), "bin/\n");

        var result = await Cli.RunAsync(["init", Repository]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("  README.md", result.Error, StringComparison.Ordinal);
        Assert.Contains("  .gitignore", result.Error, StringComparison.Ordinal);
        Assert.Contains("--force", result.Error, StringComparison.Ordinal);
        Assert.Equal("ours", File.ReadAllText(Path.Combine(Repository, "README.md")));
        Assert.False(Directory.Exists(Path.Combine(Repository, "pipelines")));
    }

    [Fact]
    public async Task Init_Force_OverwritesExistingFiles()
    {
        Directory.CreateDirectory(Repository);
        File.WriteAllText(Path.Combine(Repository, "README.md"), "ours");

        var result = await Cli.RunAsync(["init", Repository, "--force"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("README.md", result.Out, StringComparison.Ordinal);
        Assert.Contains("(overwritten)", result.Out, StringComparison.Ordinal);
        Assert.Equal(ScaffoldTemplates.Readme, File.ReadAllText(Path.Combine(Repository, "README.md")));
    }

    [Fact]
    public async Task Init_NoFolder_ScaffoldsTheWorkingDirectory()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment { Out = output, Error = error, WorkingDirectory = _folder.Path, EnvironmentVariable = _ => null };

        var code = await EtlApp.RunAsync(["init"], environment);

        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(_folder.Path, "pipelines", "contacts.yaml")));
        Assert.DoesNotContain("  cd ", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
