using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Sandbox;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>The pipelines in pipelines/ against an in-process Constant Contact sandbox (--sandbox), end to end.</summary>
public sealed class SandboxRunTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Pipeline(string name)
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        Cli.CopyFolder("examples", _folder.Path);
        return Path.Combine(_folder.Path, "pipelines", name);
    }

    private static Dictionary<string, JsonElement> Operations(CliResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.Clone());
    }

    private static void AssertCounts(JsonElement operation, long read, long filtered, long written, long rejected)
    {
        Assert.Equal("success", operation.GetProperty("status").GetString());
        Assert.Equal(read, operation.GetProperty("read").GetInt64());
        Assert.Equal(filtered, operation.GetProperty("filtered").GetInt64());
        Assert.Equal(written, operation.GetProperty("written").GetInt64());
        Assert.Equal(rejected, operation.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task Run_QuickstartWithSandbox_RunsTheWholeChain()
    {
        var result = await Cli.RunAsync(["run", Pipeline("quickstart.yaml"), "--sandbox", "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var operations = Operations(result);
        AssertCounts(operations["Create contacts"], read: 16, filtered: 4, written: 10, rejected: 2);
        AssertCounts(operations["Update companies"], read: 3, filtered: 0, written: 2, rejected: 1);
        AssertCounts(operations["Remove unsubscribes"], read: 2, filtered: 0, written: 2, rejected: 0);
        AssertCounts(operations["Mirror to warehouse"], read: 8, filtered: 0, written: 8, rejected: 0);
        var report = File.ReadAllLines(Path.Combine(_folder.Path, "out", "contacts-report.csv"));
        Assert.Contains("grace@example.com,Grace,Hopper,Yale University,Rear Admiral", report);
        Assert.DoesNotContain(report, line => line.StartsWith("edsger@", StringComparison.Ordinal));
        Assert.Contains("Constant Contact sandbox at http://127.0.0.1:", result.Error, StringComparison.Ordinal);
        Assert.Contains("POST /v3/contacts", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuickstartDryRunWithSandbox_ExitsZeroAndReportsTheWarehouseOperationsAsNotPreviewed()
    {
        var result = await Cli.RunAsync(["run", Pipeline("quickstart.yaml"), "--sandbox", "--dry-run", "--output", "json", "--log-level", "info"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var operations = Operations(result);
        Assert.Equal("success", operations["Remove unsubscribes"].GetProperty("status").GetString());
        foreach (var (name, reads) in new[] { ("Mirror to warehouse", "Constant Contact"), ("Report", "Warehouse") })
        {
            Assert.Equal("not_previewed", operations[name].GetProperty("status").GetString());
            Assert.Equal($"not previewed: reads {reads}, which this dry run did not write", Assert.Single(operations[name].GetProperty("warnings").EnumerateArray()).GetString());
        }

        Assert.False(File.Exists(Path.Combine(_folder.Path, "out", "warehouse.db")));
        var logLines = result.Error.Split('\n').Where(line => line.Contains(" info ", StringComparison.Ordinal)).ToList();
        Assert.Contains(logLines, line => line.Contains("Operation Create contacts Succeeded: read 16, filtered 4, would write 10", StringComparison.Ordinal));
        Assert.DoesNotContain(logLines, line => line.Contains("written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_QuickstartDryRunThenRealRun_DryRunPredictsEveryCountOfEveryPreviewedOperation()
    {
        var pipeline = Pipeline("quickstart.yaml");
        var dry = await Cli.RunAsync(["run", pipeline, "--sandbox", "--dry-run", "--output", "json"]);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        var real = await Cli.RunAsync(["run", pipeline, "--sandbox", "--output", "json"]);
        Assert.True(real.ExitCode == 0, real.ToString());

        var predicted = Operations(dry);
        var actual = Operations(real);
        string[] previewed = ["Create contacts", "Update companies", "Remove unsubscribes"];
        Assert.Equal(previewed.Order(), predicted.Where(o => o.Value.GetProperty("status").GetString() == "success").Select(o => o.Key).Order());
        foreach (var name in previewed)
        {
            foreach (var count in (string[])["read", "filtered", "written", "created", "updated", "deleted", "skipped", "unchanged", "rejected"])
            {
                Assert.True(predicted[name].GetProperty(count).ValueKind == JsonValueKind.Number, $"{name}: the dry run gave no {count}");
                Assert.True(actual[name].GetProperty(count).GetInt64() == predicted[name].GetProperty(count).GetInt64(), $"{name}: {count} predicted {predicted[name].GetProperty(count)}, the real run had {actual[name].GetProperty(count)}");
            }
        }

        Assert.Equal(10, actual["Create contacts"].GetProperty("created").GetInt64());
        Assert.Equal(2, actual["Update companies"].GetProperty("updated").GetInt64());
    }

    [Fact]
    public async Task Run_QuickstartDryRunAfterARealRun_StillDoesNotPreviewAgainstTheWarehouseOfTheEarlierRun()
    {
        var pipeline = Pipeline("quickstart.yaml");
        var real = await Cli.RunAsync(["run", pipeline, "--sandbox"]);
        Assert.True(real.ExitCode == 0, real.ToString());

        var result = await Cli.RunAsync(["run", pipeline, "--sandbox", "--dry-run", "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var operations = Operations(result);
        Assert.Equal("not_previewed", operations["Mirror to warehouse"].GetProperty("status").GetString());
        Assert.Equal("not_previewed", operations["Report"].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("contact-export.yaml")]
    [InlineData("signup-import.yaml")]
    [InlineData("unsubscribe-sync.yaml")]
    [InlineData("list-tag-sync.yaml")]
    public async Task Run_PipelineWithSandbox_Succeeds(string name)
    {
        var result = await Cli.RunAsync(["run", Pipeline(name), "--sandbox", "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(Operations(result).Values, o => Assert.True(o.GetProperty("written").GetInt64() > 0, o.ToString()));
    }

    [Fact]
    public async Task Test_ConstantContactConnectionWithSandbox_Authenticates()
    {
        var result = await Cli.RunAsync(["test", Pipeline("quickstart.yaml"), "--sandbox", "--connection", "Constant Contact"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ok   Constant Contact (constantcontact):", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuickstartWithoutCredentials_Exits2NamingTheSecret()
    {
        var result = await Cli.RunAsync(["run", Pipeline("quickstart.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("secret variable 'cc_api_key' has no value: supply it with --var cc_api_key=..., the environment variable ETL_VAR_CC_API_KEY, or --env-file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RealApiUnreachable_FailsWithoutPrintingTheToken()
    {
        var result = await Cli.RunAsync(
            ["run", Pipeline("contact-export.yaml"), "--var", "cc_api_key=key-123456", "--var", "cc_access_token=tok-abcdef-secret"],
            name => name == "ETL_VAR_CC_BASE_URL" ? "http://127.0.0.1:9/v3" : null);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("tok-abcdef-secret", result.Out + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("key-123456", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhileAnotherSandboxRunOfThePipelineRuns_IsRefusedAndLeavesItsDataAlone()
    {
        // Given: a sandbox run of the quickstart in its own process, holding the pipeline's sandbox data
        var pipeline = Pipeline("quickstart.yaml");
        var dataFile = Path.Combine(_folder.Path, "pipelines", ".etl", "sandbox", "sandbox-data", "quickstart.db");
        using var first = Process.Start(ResumeTests.EtlProcess(["run", pipeline, "--sandbox", "--quiet"]))!;
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(dataFile + ".lock.info") && !first.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        // When
        var second = await Cli.RunAsync(["run", pipeline, "--sandbox", "--quiet"]);
        var reset = await Cli.RunAsync(["sandbox", "reset", pipeline]);

        // Then: both refused while the first still runs, naming the data and the holder
        Assert.False(first.HasExited, "the first run ended before the others tried");
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains($"the sandbox data {dataFile} is in use by another run (process {first.Id})", second.Error, StringComparison.Ordinal);
        Assert.True(reset.ExitCode == 1, reset.ToString());
        await first.WaitForExitAsync();
        Assert.Equal(0, first.ExitCode);
        Assert.True(File.Exists(dataFile));
    }

    [Fact]
    public async Task Sandbox_NewDataFile_StartsWithTheSeedAndKeepsItsDataAcrossRestarts()
    {
        // Given: `etl sandbox constantcontact --data FILE` on a file that does not exist yet
        var data = _folder.File("sandbox.db");
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxDefaults.AccessToken);
        var seeded = JsonDocument.Parse(SandboxSwitch.DefaultSeed).RootElement.GetProperty("contacts").GetArrayLength();

        // When: it starts, a contact is added, it is killed and started again on the same file
        List<string> listsBefore, listsAfter;
        int contactsBefore, contactsAfter;
        using (var first = await StartSandboxAsync(data))
        {
            listsBefore = await ListNamesAsync(http, first.BaseUrl);
            contactsBefore = await ContactCountAsync(http, first.BaseUrl);
            using var created = await http.PostAsync(
                new Uri(first.BaseUrl, "v3/contacts"),
                new StringContent("""{"email_address":{"address":"kept@example.com","permission_to_send":"implicit"},"create_source":"Account"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        using (var second = await StartSandboxAsync(data))
        {
            listsAfter = await ListNamesAsync(http, second.BaseUrl);
            contactsAfter = await ContactCountAsync(http, second.BaseUrl);
        }

        // Then: seeded like the in-memory sandbox once, never again
        Assert.Equal(["Newsletter"], listsBefore);
        Assert.Equal(seeded, contactsBefore);
        Assert.Equal(["Newsletter"], listsAfter);
        Assert.Equal(seeded + 1, contactsAfter);
    }

    private static async Task<List<string>> ListNamesAsync(HttpClient http, Uri root)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(root, "v3/contact_lists")));
        return [.. json.RootElement.GetProperty("lists").EnumerateArray().Select(l => l.GetProperty("name").GetString()!)];
    }

    private static async Task<int> ContactCountAsync(HttpClient http, Uri root)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(root, "v3/contacts?status=all&limit=500")));
        return json.RootElement.GetProperty("contacts").GetArrayLength();
    }

    /// <summary>A real <c>etl sandbox constantcontact --data FILE</c> process, killed (-9) when disposed.</summary>
    private static async Task<SandboxProcess> StartSandboxAsync(string data)
    {
        var process = Process.Start(ResumeTests.EtlProcess(["sandbox", "constantcontact", "--data", data, "--rate-limit", "off"]))!;
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await process.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            if (Regex.Match(line, @"http://127\.0\.0\.1:\d+/") is { Success: true } url)
            {
                return new SandboxProcess(process, new Uri(url.Value));
            }
        }

        process.Kill();
        throw new InvalidOperationException("the sandbox ended before it listened: " + await process.StandardError.ReadToEndAsync());
    }

    private sealed class SandboxProcess(Process process, Uri baseUrl) : IDisposable
    {
        public Uri BaseUrl { get; } = baseUrl;

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }

    public void Dispose() => _folder.Dispose();
}
