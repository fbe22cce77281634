using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Nothing hangs and nothing lies: a rejects file, ledger or temp file that cannot be written fails the operation at
/// once with the path and the OS error, and the counts say what landed.
/// </summary>
public sealed class FailureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Long enough for any run here; on a run that hangs it ends the test instead.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private void WriteNumbers(int rows, int? malformedRow = null)
    {
        var csv = new StringBuilder("n,name\n");
        for (var i = 1; i <= rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},name{i}{(i == malformedRow ? ",extra" : string.Empty)}\n");
        }

        _folder.Write("numbers.csv", csv.ToString());
    }

    private static string CsvPipeline(string target, string options = "") => $$"""
        project: failures
        connections:
          - { name: Numbers, type: csv, path: numbers.csv }
          - { name: Out, type: csv, path: out/report.csv }
        operations:
          - name: Report
            source: { connection: Numbers, activity: query }
            target: { connection: Out, activity: create{{target}} }
            options: { timeout: 30s{{options}} }
        """;

    private async Task<CliResult> RunAsync(string pipeline)
    {
        using var patience = new CancellationTokenSource(Patience);
        return await Cli.RunAsync(["run", _folder.File(pipeline), "--output", "json", "--quiet"], cancellationToken: patience.Token);
    }

    private static JsonElement Operation(CliResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations")[0].Clone();
    }

    /// <summary>
    /// Runs <c>etl</c> in its own process whose files may not grow past <paramref name="limitKilobytes"/> (RLIMIT_FSIZE:
    /// writes past it fail, as on a full disk); kills it if it has not ended after <see cref="Patience"/>.
    /// </summary>
    private static async Task<(int Code, string Out, string Error)> RunWithFileSizeLimitAsync(int limitKilobytes, params string[] arguments)
    {
        var etl = ResumeTests.EtlProcess(arguments);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"trap '' XFSZ; ulimit -f {limitKilobytes}; exec dotnet \"$@\"");
        start.ArgumentList.Add("bash");
        foreach (var argument in etl.ArgumentList)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_EnableWriteXorExecute"] = "0"; // the runtime's double-mapped code memory needs files past the limit
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
            Assert.Fail("the run hung");
        }

        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Run_RejectsFolderIsAFile_FailsAtOnceNamingThePathAndTheOsError()
    {
        WriteNumbers(2_000, malformedRow: 10);
        _folder.Write(".etl/rejects", "a file where the rejects folder should be");
        _folder.Write("p.yaml", CsvPipeline(string.Empty));

        var result = await RunAsync("p.yaml");

        Assert.True(result.ExitCode == 1, result.ToString());
        var operation = Operation(result);
        var error = operation.GetProperty("error").GetString()!;
        Assert.StartsWith("cannot write the rejects file " + _folder.File(".etl/rejects/"), error, StringComparison.Ordinal);
        Assert.Contains(_folder.File(".etl/rejects"), error.Split(": ", 2)[1], StringComparison.Ordinal); // the OS error names it too
        Assert.Equal(operation.GetProperty("read").GetInt64(), operation.GetProperty("rejected").GetInt64() + operation.GetProperty("written").GetInt64());
    }

    [Fact]
    public async Task Run_StoppedByTheConnectorOrByTheStateFolder_JsonSaysWhichStoppedIt()
    {
        // Given: one pipeline whose source file does not exist, one whose rejects folder is a file
        _folder.Write("missing.yaml", CsvPipeline(string.Empty).Replace("path: numbers.csv", "path: missing.csv", StringComparison.Ordinal));
        WriteNumbers(2_000, malformedRow: 10);
        _folder.Write("p.yaml", CsvPipeline(string.Empty));
        _folder.Write(".etl/rejects", "a file where the rejects folder should be");

        // When
        var missing = await RunAsync("missing.yaml");
        var unwritable = await RunAsync("p.yaml");

        // Then
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Equal("connector_failure", Operation(missing).GetProperty("stopped_by").GetString());
        Assert.True(unwritable.ExitCode == 1, unwritable.ToString());
        Assert.Equal("state_failure", Operation(unwritable).GetProperty("stopped_by").GetString());
    }

    [Fact]
    public async Task Run_StateFolderFull_StopsAtTheFirstLedgerWriteThatFailsNamingTheFolder()
    {
        // Given: an append (one ledger row per batch of one record) whose state database cannot grow past 1 MB
        WriteNumbers(3_000);
        _folder.Write("p.yaml", CsvPipeline(", mode: append", ", batch_size: 1"));

        var (code, _, error) = await RunWithFileSizeLimitAsync(1024, "run", _folder.File("p.yaml"));

        Assert.Equal(1, code);
        Assert.Contains($"cannot write the write ledger in the state database in {_folder.File(".etl")}: SQLite Error", error, StringComparison.Ordinal);
        Assert.True(File.ReadLines(_folder.File("out/report.csv")).Count() < 3_000);
    }

    [Fact]
    public async Task Run_CsvOverwriteStoppedByAMalformedRow_ReportsNothingWrittenAndLeavesTheFileAsItWas()
    {
        WriteNumbers(6_000, malformedRow: 3_001);
        _folder.Write("out/report.csv", "n,name\nold,report\n");
        _folder.Write("p.yaml", CsvPipeline(string.Empty, ", max_rejects: 0"));

        var result = await RunAsync("p.yaml");

        Assert.True(result.ExitCode == 1, result.ToString());
        var operation = Operation(result);
        Assert.Equal(0, operation.GetProperty("written").GetInt64());
        Assert.Equal(operation.GetProperty("read").GetInt64(), operation.GetProperty("rejected").GetInt64());
        Assert.Contains("none of them landed", operation.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("n,name\nold,report\n", File.ReadAllText(_folder.File("out/report.csv")));
        Assert.Equal(["report.csv"], Directory.GetFiles(_folder.File("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Run_CsvOverwriteOnAFullDisk_FailsAndLeavesNoTempFile()
    {
        WriteNumbers(100_000);
        _folder.Write("out/report.csv", "n,name\nold,report\n");
        _folder.Write("p.yaml", CsvPipeline(string.Empty));

        var (code, output, _) = await RunWithFileSizeLimitAsync(512, "run", _folder.File("p.yaml"), "--output", "json", "--quiet");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(output);
        var operation = json.RootElement.GetProperty("operations")[0];
        Assert.Equal(0, operation.GetProperty("written").GetInt64());
        Assert.Equal("n,name\nold,report\n", File.ReadAllText(_folder.File("out/report.csv")));
        Assert.Equal(["report.csv"], Directory.GetFiles(_folder.File("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Validate_OperationNameTooLongForAFileName_IsAnErrorAtItsPosition()
    {
        _folder.Write("p.yaml", CsvPipeline(string.Empty).Replace("name: Report", "name: " + new string('r', 300), StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", _folder.File("p.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:6:11: operation name 'rrrr", result.Out + result.Error, StringComparison.Ordinal);
        Assert.Contains("is too long: its rejects file name would be 306 bytes", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TwoOperationNamesMappingToOneRejectsFile_IsAnErrorAtTheSecond()
    {
        _folder.Write("p.yaml", """
            project: names
            connections:
              - { name: Numbers, type: csv, path: numbers.csv }
              - { name: Out, type: csv, path: out/report.csv }
            operations:
              - name: a b
                source: { connection: Numbers, activity: query }
                target: { connection: Out, activity: create }
              - name: a_b
                source: { connection: Numbers, activity: query }
                target: { connection: Out, activity: create }
            """);

        var result = await Cli.RunAsync(["validate", _folder.File("p.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:9:11: operation 'a_b' would share its rejects file 'a_b.jsonl' with operation 'a b' (line 6)", result.Out + result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
