using System.Diagnostics;
using System.Globalization;
using System.Text;
using EtlRunner.Sandbox;
using EtlRunner.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Constant Contact's limits are per account: two real <c>etl agent --cluster</c> processes of one group, each running
/// its own pipeline into the same account of one sandbox (a real HTTP server on 127.0.0.1 holding the real API's
/// 4 requests/s and a daily quota), at the same fire time, share the account's pacing and daily budget through
/// PostgreSQL (<c>PostgresRequestGate</c>).
/// </summary>
[Collection(AgentTests.Collection)]
public sealed class AgentGroupLimitsTests(ITestOutputHelper output) : IDisposable
{
    private const int ContactsEach = 40;

    private const int DailyBudget = 30;

    private readonly TempFolder _first = new();
    private readonly TempFolder _second = new();
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];

    private static string Pipeline(string project) => $$$"""
        project: {{{project}}}
        variables:
          cc_base_url: http://127.0.0.1:9/v3
          cc_token_url: http://127.0.0.1:9/token
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
            requests_per_second: 4
            daily_request_limit: {{{DailyBudget}}}
            timeout_seconds: 5
            max_retries: 0
        operations:
          - name: Load signups
            source: { connection: Signups, activity: query }
            transform:
              map:
                email_address: "{{ record.email }}"
            target: { connection: Constant Contact, activity: create }
            options: { batch_size: 1 }
        schedules:
          - { name: together, cron: "*/2 * * * * *", misfire: skip }
        """;

    [PostgresFact]
    public async Task Group_TwoAgentsSendingToOneAccountAtOnce_StayWithinItsRequestsPerSecondAndShareItsDailyBudget()
    {
        // Given: one sandbox account (4 requests/s like the real API; a daily quota above the pipelines' budget), and
        // two agents of a group, each with a pipeline that sends 40 contacts to it one request at a time
        await using var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { Port = 0, RateLimit = true, RequestsPerSecond = 4, DailyRequestLimit = 1_000 });
        Write(_first, "a");
        Write(_second, "b");
        var first = Agent(_first, "agent-1", sandbox);
        var second = Agent(_second, "agent-2", sandbox);
        try
        {
            // When: the group has used the pipelines' daily budget, and a few more fires have come and gone
            await AgentTests.WaitUntilAsync(() => Used(sandbox) >= DailyBudget, first.Process, "the daily budget to be used");
            await AgentTests.WaitUntilAsync(() => Ended("a") >= 2 && Ended("b") >= 2, first.Process, "fires after the budget was used");
            await Task.WhenAll(AgentTests.TerminateAsync(first.Process), AgentTests.TerminateAsync(second.Process));

            // Then: the sandbox never throttled (no more than 4 requests in any second reached it, from both agents
            // together) and saw exactly the budget's requests; both agents sent some, at the same time
            var contacts = sandbox.Store.Contacts().Select(c => c.Email ?? string.Empty).ToList();
            var (a, b) = (contacts.Count(e => e.StartsWith("a", StringComparison.Ordinal)), contacts.Count(e => e.StartsWith("b", StringComparison.Ordinal)));
            var runs = Runs();
            output.WriteLine($"{sandbox.Stats.Total} requests ({sandbox.Stats.CountStatus(429)} throttled): agent-1 created {a}, agent-2 {b}; runs: {string.Join("; ", runs.Select(r => $"{r.Pipeline} {r.Start:HH:mm:ss.fff}-{r.End:HH:mm:ss.fff} {r.Status}"))}");
            Assert.Equal(0, sandbox.Stats.CountStatus(429));
            Assert.Equal(DailyBudget, sandbox.Stats.Total);
            Assert.Equal(DailyBudget, Used(sandbox));
            Assert.Equal(DailyBudget, a + b);
            Assert.True(a > 0 && b > 0, $"agent-1 created {a}, agent-2 {b}");
            var (runA, runB) = (runs.First(r => r.Pipeline.StartsWith("limits-a", StringComparison.Ordinal)), runs.First(r => r.Pipeline.StartsWith("limits-b", StringComparison.Ordinal)));
            Assert.True(runA.Start < runB.End && runB.Start < runA.End, "the two agents' first runs did not overlap");
            Assert.Contains($"daily_request_limit {DailyBudget} reached", AgentTests.Text(first.Log) + AgentTests.Text(second.Log), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (process, _) in new[] { first, second })
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private void Write(TempFolder folder, string prefix)
    {
        var csv = new StringBuilder("email\n");
        for (var i = 1; i <= ContactsEach; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{prefix}{i}-{_id}@example.com\n");
        }

        folder.Write("signups.csv", csv.ToString());
        folder.Write("limits.yaml", Pipeline($"limits-{prefix}{_id}"));
    }

    private (Process Process, StringBuilder Log) Agent(TempFolder folder, string name, ConstantContactSandbox sandbox) =>
        AgentTests.StartAgentCapturing(folder.Path, "--cluster", PostgresServer.ConnectionString, "--group", "g" + _id, "--name", name,
            "--var", $"cc_base_url={sandbox.BaseUrl}", "--var", $"cc_token_url={sandbox.TokenUrl}",
            "--var", "cc_api_key=shared-account", "--var", $"cc_access_token={sandbox.AccessToken}");

    /// <summary>The day's requests the group counted for the sandbox's account.</summary>
    private static long Used(ConstantContactSandbox sandbox) =>
        Scalar("SELECT coalesce(sum(used), 0) FROM etl_request_days WHERE account LIKE @a", ("a", $"% at {sandbox.BaseUrl.ToString().TrimEnd('/')}%"));

    private long Ended(string prefix) =>
        Scalar("SELECT count(*) FROM etl_runs WHERE pipeline = @p AND status <> 'running'", ("p", $"limits-{prefix}{_id}:limits.yaml"));

    private List<(string Pipeline, DateTime Start, DateTime End, string Status)> Runs()
    {
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pipeline, start_time, end_time, status FROM etl_runs WHERE pipeline LIKE @p AND end_time IS NOT NULL ORDER BY start_time", connection);
        command.Parameters.AddWithValue("p", $"limits-_{_id}:%");
        using var reader = command.ExecuteReader();
        var runs = new List<(string, DateTime, DateTime, string)>();
        while (reader.Read())
        {
            runs.Add((reader.GetString(0), reader.GetDateTime(1), reader.GetDateTime(2), reader.GetString(3)));
        }

        return runs;
    }

    private static long Scalar(string sql, (string Name, object Value) parameter)
    {
        using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        try
        {
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the agents have not created their tables yet
        }
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
