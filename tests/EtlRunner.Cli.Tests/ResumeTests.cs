using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Sandbox;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// A CSV of contacts into Constant Contact (an in-process sandbox keeping its data in a file), interrupted midway,
/// then run again: the account ends with every contact exactly once, the second run sends no duplicate (no 409) and
/// its accounting balances.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private const int Contacts = 300;

    private const string Pipeline = """
        project: resume
        variables:
          cc_base_url: http://127.0.0.1:9/v3
          cc_token_url: http://127.0.0.1:9/token
          requests_per_second: 1000
          cc_api_key: { secret: true }
          cc_access_token: { secret: true }
        connections:
          - { name: Signups, type: csv, path: signups.csv }
          - name: Constant Contact
            type: constantcontact
            api_key: "[cc_api_key]"
            access_token: "[cc_access_token]"
            base_url: "[cc_base_url]"
            token_url: "[cc_token_url]"
            requests_per_second: "[requests_per_second]"
            timeout_seconds: 5
            max_retries: 0
        operations:
          - name: Load signups
            source: { connection: Signups, activity: query }
            transform:
              map:
                email_address: "{{ record.email }}"
                first_name: "{{ record.first_name }}"
                last_name: "{{ record.last_name }}"
            target: { connection: Constant Contact, activity: create }
            options: { batch_size: 50 }
        """;

    private readonly TempFolder _folder = new();
    private readonly string _pipeline;
    private readonly string _dataFile;
    private readonly string _stateDirectory;
    private readonly Dictionary<string, string> _emails = new(StringComparer.Ordinal); // email -> first name

    public ResumeTests()
    {
        _pipeline = _folder.Write("resume.yaml", Pipeline);
        _dataFile = _folder.File("cc.db");
        _stateDirectory = _folder.File("state");
        var csv = new StringBuilder("email,first_name,last_name\n");
        for (var i = 1; i <= Contacts; i++)
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"signup{i:000}@example.com");
            _emails.Add(email, string.Create(CultureInfo.InvariantCulture, $"First{i}"));
            csv.Append(CultureInfo.InvariantCulture, $"{email},First{i},Last{i}\n");
        }

        _folder.Write("signups.csv", csv.ToString());
    }

    private Task<ConstantContactSandbox> StartSandboxAsync(int dailyRequestLimit = 10_000, string? faults = null) =>
        ConstantContactSandbox.StartAsync(new SandboxOptions
        {
            Port = 0,
            DataFile = _dataFile,
            RateLimit = true, // for the daily quota; 10,000 a second never throttles
            RequestsPerSecond = 10_000,
            DailyRequestLimit = dailyRequestLimit,
            Faults = faults,
        });

    private string[] Arguments(ConstantContactSandbox sandbox, int requestsPerSecond = 1000) =>
    [
        "run", _pipeline, "--output", "json", "--quiet", "--state-dir", _stateDirectory,
        "--var", $"cc_base_url={sandbox.BaseUrl}", "--var", $"cc_token_url={sandbox.TokenUrl}",
        "--var", "cc_api_key=resume-client", "--var", $"cc_access_token={sandbox.AccessToken}",
        "--var", $"requests_per_second={requestsPerSecond}",
    ];

    private static (string Status, long Read, long Written, long Skipped, long Rejected, long Filtered) Counts(CliResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        var operation = json.RootElement.GetProperty("operations")[0];
        return (operation.GetProperty("status").GetString()!, Long("read"), Long("written"), Long("skipped"), Long("rejected"), Long("filtered"));

        long Long(string name) => operation.GetProperty(name).GetInt64();
    }

    /// <summary>The second run (against <paramref name="sandbox"/>, fresh stats) completed the job: every contact once, no 409, balanced counts.</summary>
    private void AssertCompleted(ConstantContactSandbox sandbox, CliResult second, long createdBefore)
    {
        Assert.True(second.ExitCode == 0, second.ToString());
        var (status, read, written, skipped, rejected, filtered) = Counts(second);
        Assert.Equal("success", status);
        Assert.Equal(Contacts, read);
        Assert.Equal(read, written + skipped + rejected + filtered);
        Assert.Equal(0, rejected);
        var contacts = sandbox.Store.Contacts();
        Assert.Equal(Contacts, contacts.Count);
        Assert.Equal(_emails.Keys.Order(StringComparer.Ordinal), contacts.Select(c => c.Email!).Order(StringComparer.Ordinal));
        Assert.All(contacts, c => Assert.Equal(_emails[c.Email!], c.FirstName));
        Assert.Equal(0, sandbox.Stats.CountStatus(409));
        Assert.Equal(Contacts - createdBefore, sandbox.Stats.Count("POST /v3/contacts", 201));
    }

    [Fact]
    public async Task Run_StoppedByTheDailyQuota_NextRunCreatesOnlyTheRest()
    {
        // Given: the account's daily quota runs out after 120 requests, a third of the way through
        long createdBefore;
        CliResult first;
        await using (var limited = await StartSandboxAsync(dailyRequestLimit: 120))
        {
            first = await Cli.RunAsync(Arguments(limited));
            createdBefore = limited.Store.Contacts().Count;
        }

        Assert.True(first.ExitCode == 1, first.ToString());
        var (status, read, written, skipped, rejected, filtered) = Counts(first);
        Assert.Equal("error", status);
        Assert.Equal(120, createdBefore);
        Assert.Equal((120L, 0L), (written, skipped));
        Assert.Equal(read, written + skipped + rejected + filtered);
        Assert.Contains("quota", first.Out, StringComparison.Ordinal);

        // When: the quota is back (a new day: the same data, no limit left over)
        await using var sandbox = await StartSandboxAsync();
        var second = await Cli.RunAsync(Arguments(sandbox));

        // Then
        AssertCompleted(sandbox, second, createdBefore);
    }

    [Fact]
    public async Task Run_StoppedByServerErrors_NextRunCreatesOnlyTheRest()
    {
        // Given: after 120 requests every request fails with 500 (not processed), and max_retries is 0
        long createdBefore;
        CliResult first;
        await using (var failing = await StartSandboxAsync(faults: "500=1,after=120"))
        {
            first = await Cli.RunAsync(Arguments(failing));
            createdBefore = failing.Store.Contacts().Count;
        }

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Equal(120, createdBefore);
        var (_, read, written, skipped, rejected, filtered) = Counts(first);
        Assert.Equal(120, written);
        Assert.Equal(read, written + skipped + rejected + filtered);

        // When: the service is healthy again
        await using var sandbox = await StartSandboxAsync();
        var second = await Cli.RunAsync(Arguments(sandbox));

        // Then
        AssertCompleted(sandbox, second, createdBefore);
    }

    [Fact]
    public async Task Run_KilledMidBatch_NextRunChecksTheUnconfirmedBatchInsteadOfConflicting()
    {
        // Given: a run in its own process, killed (SIGKILL) in the middle of a batch, at 50 requests a second
        long createdBefore;
        await using (var sandbox = await StartSandboxAsync())
        {
            using var process = Process.Start(EtlProcess(Arguments(sandbox, requestsPerSecond: 50)))!;
            var deadline = Stopwatch.StartNew();
            while (sandbox.Store.Contacts().Count < 110 && !process.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            Assert.False(process.HasExited, "the run ended before it could be killed");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.NotEqual(0, process.ExitCode);
            await Task.Delay(200); // a POST in flight when the process died is answered and stored by now
            createdBefore = sandbox.Store.Contacts().Count;
        }

        Assert.InRange(createdBefore, 110, Contacts - 1);

        // When
        await using var resumed = await StartSandboxAsync();
        var second = await Cli.RunAsync(Arguments(resumed));

        // Then: the batch the kill interrupted was looked up (one page of the contact list), not re-sent blindly
        AssertCompleted(resumed, second, createdBefore);
        Assert.InRange(resumed.Stats.Count("GET /v3/contacts", 200), 1, 3);
    }

    [Fact]
    public async Task Run_StateDatabaseDeleted_ContactsAlreadyCreatedAreFoundByEmailNotRejected()
    {
        // Given: every contact created, then the state database lost
        await using (var sandbox = await StartSandboxAsync())
        {
            Assert.Equal(0, (await Cli.RunAsync(Arguments(sandbox))).ExitCode);
        }

        foreach (var file in Directory.GetFiles(_stateDirectory, "state.db*"))
        {
            File.Delete(file);
        }

        // When
        await using var again = await StartSandboxAsync();
        var second = await Cli.RunAsync(Arguments(again));

        // Then: no POST, no 409 reject; the summary says the ledger was missing
        AssertCompleted(again, second, createdBefore: Contacts);
        using var json = JsonDocument.Parse(second.Out);
        Assert.True(json.RootElement.GetProperty("operations")[0].GetProperty("ledger_missing").GetBoolean());
    }

    /// <summary><c>dotnet etl.dll ARGS</c>, the CLI built beside these tests, in a process of its own.</summary>
    internal static ProcessStartInfo EtlProcess(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "etl.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public void Dispose() => _folder.Dispose();
}
