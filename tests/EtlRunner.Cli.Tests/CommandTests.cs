using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

public sealed class CommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private const string Secretive = """
        project: secretive
        variables:
          api_token: { secret: true }
          folder: data
        connections:
          - name: Files
            type: csv
            path: "[folder]/[api_token].csv"
          - name: Out
            type: csv
            path: out.csv
        operations:
          - name: Copy
            source: { connection: Files, activity: query }
            transform: { map: { token: "{{ api_token }}" } }
            target: { connection: Out, activity: create }
        """;

    [Fact]
    public async Task Validate_FolderOfMixedFiles_ReportsEveryProblemAndExits2()
    {
        _folder.Write("pipes/good.yaml", "project: a\nconnections: []\noperations: []\n");
        _folder.Write("pipes/bad.yml", "project: b\nconnections:\n  - name: x\n    type: csv\n    pth: a.csv\noperations: []\n");
        _folder.Write("pipes/nested/worse.yaml", "project: [\n");

        var result = await Cli.RunAsync(["validate", Path.Combine(_folder.Path, "pipes")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.yml:5:5: unknown key 'pth' in connection 'x' (did you mean 'path'?)", result.Out, StringComparison.Ordinal);
        Assert.Contains("bad.yml:3:5: connection 'x' is missing the required field 'path'", result.Out, StringComparison.Ordinal);
        Assert.Contains("worse.yaml:", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 of 3 file(s) invalid", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RepositoryPipelinesAndExamples_AreValid()
    {
        var result = await Cli.RunAsync(["validate", Path.Combine(Cli.RepositoryRoot, "pipelines"), Path.Combine(Cli.RepositoryRoot, "examples")]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Validate_OutputJson_IsPureJson()
    {
        var file = _folder.Write("bad.yaml", "project: a\nconection: []\noperations: []\n");

        var result = await Cli.RunAsync(["validate", file, "--output", "json"]);

        using var json = JsonDocument.Parse(result.Out);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var problem = json.RootElement.GetProperty("files")[0].GetProperty("problems").EnumerateArray()
            .Single(p => p.GetProperty("message").GetString()!.Contains("conection", StringComparison.Ordinal));
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Equal(1, problem.GetProperty("column").GetInt32());
    }

    [Fact]
    public async Task Plan_ShowsVariablesWithTheirSourceAndMasksSecrets()
    {
        var file = _folder.Write("p.yaml", Secretive);

        var result = await Cli.RunAsync(["plan", file, "--var", "api_token=s3cr3t-value", "--output", "json"], name => name == "ETL_VAR_FOLDER" ? "elsewhere" : null);

        Assert.DoesNotContain("s3cr3t-value", result.Out + result.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Out);
        var variables = json.RootElement.GetProperty("variables").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("***", variables["api_token"].GetProperty("value").GetString());
        Assert.Equal("--var", variables["api_token"].GetProperty("source").GetString());
        Assert.Equal("elsewhere", variables["folder"].GetProperty("value").GetString());
        Assert.Equal("environment variable ETL_VAR_FOLDER", variables["folder"].GetProperty("source").GetString());
        var path = json.RootElement.GetProperty("operations")[0].GetProperty("source").GetProperty("settings").GetProperty("path").GetString();
        Assert.EndsWith("elsewhere/***.csv", path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FailingConnectionWithSecretInPath_NeverPrintsTheSecret()
    {
        var file = _folder.Write("p.yaml", Secretive);

        foreach (var output in new[] { "text", "json" })
        {
            var result = await Cli.RunAsync(["run", file, "--var", "api_token=s3cr3t-value", "--output", output, "--log-level", "debug"]);

            Assert.Equal(1, result.ExitCode);
            Assert.DoesNotContain("s3cr3t-value", result.Out + result.Error, StringComparison.Ordinal);
            Assert.Contains("***", result.Out + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Test_OneLinePerConnectionAndOperation_Exits1WhenOneFails()
    {
        _folder.Write("data/present.csv", "a,b\n1,2\n");
        var file = _folder.Write("t.yaml", Secretive.Replace("[folder]/[api_token].csv", "data/present.csv", StringComparison.Ordinal)
            .Replace("path: out.csv", "path: data/present.csv/out.csv", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["test", file]);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ok   Files (csv): readable:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("FAIL Out (csv): cannot create", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("ok   Copy (fields): the header of present.csv has a, b; the transforms read no field", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_TargetInAFolderToBeCreated_IsWritable()
    {
        _folder.Write("data/present.csv", "a,b\n1,2\n");
        var file = _folder.Write("t.yaml", Secretive.Replace("[folder]/[api_token].csv", "data/present.csv", StringComparison.Ordinal)
            .Replace("path: out.csv", "path: new-folder/out.csv", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["test", file]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ok   Out (csv): writable:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_EveryCommand_HasDescriptionOptionsAndExample()
    {
        foreach (var command in new[] { "run", "validate", "plan", "test" })
        {
            var result = await Cli.RunAsync([command, "--help"]);

            Assert.Equal(0, result.ExitCode);
            Assert.Contains("EXAMPLES:", result.Out, StringComparison.Ordinal);
            Assert.Contains("--var", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_UnknownOption_Exits2()
    {
        var result = await Cli.RunAsync(["run", "x.yaml", "--no-such-option"]);

        Assert.Equal(2, result.ExitCode);
    }

    public void Dispose() => _folder.Dispose();
}
