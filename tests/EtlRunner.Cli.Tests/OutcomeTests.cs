using System.Text;
using System.Text.Json;
using EtlRunner.Sandbox;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// "Success" means the data arrived as the pipeline says: an operation that wrote nothing because everything was
/// rejected fails, max_rejects stops the target at the record that passes it, a rejected token is reported as such,
/// and a filter that matches nothing or a high reject rate carries a warning.
/// </summary>
public sealed class OutcomeTests : IDisposable
{
    private const string ConstantContactPipeline = """
        project: outcomes
        variables:
          cc_base_url: http://127.0.0.1:9/v3
          cc_api_key: { secret: true }
          cc_access_token: { secret: true }
        connections:
          - { name: Signups, type: csv, path: signups.csv }
          - name: Constant Contact
            type: constantcontact
            api_key: "[cc_api_key]"
            access_token: "[cc_access_token]"
            base_url: "[cc_base_url]"
            requests_per_second: 1000
            max_retries: 0
        operations:
          - name: Load signups
            source: { connection: Signups, activity: query }
            transform:
              map:
                email_address: "{{ record.email }}"
                first_name: "{{ record.first_name }}"
            target: { connection: Constant Contact, activity: create }
            options: { batch_size: 50, max_rejects: MAX }
        """;

    private readonly TempFolder _folder = new();

    private void WriteSignups(int count, Func<int, string> email)
    {
        var csv = new StringBuilder("email,first_name\n");
        for (var i = 1; i <= count; i++)
        {
            csv.Append(email(i)).Append(",First").Append(i).Append('\n');
        }

        _folder.Write("signups.csv", csv.ToString());
    }

    private async Task<(CliResult Result, ConstantContactSandbox Sandbox)> RunAgainstSandboxAsync(string maxRejects, string accessToken)
    {
        var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { Port = 0, RateLimit = false });
        var pipeline = _folder.Write("cc.yaml", ConstantContactPipeline.Replace("MAX", maxRejects, StringComparison.Ordinal));
        var result = await Cli.RunAsync(
        [
            "run", pipeline, "--output", "json", "--quiet",
            "--var", $"cc_base_url={sandbox.BaseUrl}", "--var", "cc_api_key=outcome-client", "--var", $"cc_access_token={accessToken}",
        ]);
        return (result, sandbox);
    }

    /// <summary>in.csv (email,age) into a table whose CHECK constraint refuses anyone under 18; returns the pipeline's path.</summary>
    private string AdultsPipeline(string options = "{}")
    {
        SqliteFile.Execute(_folder.File("db.sqlite"), "CREATE TABLE IF NOT EXISTS people (email TEXT, age INTEGER CHECK (age > 17))");
        return _folder.Write("p.yaml", $$"""
            project: outcomes
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Db, type: sqlite, database: db.sqlite }
            operations:
              - name: Load
                source: { connection: In, activity: query }
                target: { connection: Db, activity: create, table: people }
                options: {{options}}
            """);
    }

    private static JsonElement Operation(CliResult result, int index = 0)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations")[index].Clone();
    }

    [Fact]
    public async Task Run_WrongAccessTokenWithMaxRejects_SendsOneContactRequestAndStopsWithTheTokenMessage()
    {
        // Given
        WriteSignups(30, i => $"person{i}@example.com");

        // When
        var (result, sandbox) = await RunAgainstSandboxAsync("20", "not-the-token");
        await using var _ = sandbox;

        // Then
        Assert.Equal(1, result.ExitCode);
        var error = Operation(result).GetProperty("error").GetString()!;
        Assert.Contains("rejected the access token (401 unauthorized)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("max_rejects", error, StringComparison.Ordinal);
        Assert.True(sandbox.Stats.Count("POST /v3/contacts") <= 1, $"{sandbox.Stats.Count("POST /v3/contacts")} POSTs");
        Assert.Equal(0, Operation(result).GetProperty("written").GetInt64());
    }

    [Fact]
    public async Task Run_InvalidEmailsPastMaxRejects_StopsSendingAtTheRecordThatPassesIt()
    {
        // Given: 30 addresses the API refuses
        WriteSignups(30, i => $"not-an-email-{i}");

        // When
        var (result, sandbox) = await RunAgainstSandboxAsync("5", SandboxDefaults.AccessToken);
        await using var _ = sandbox;

        // Then
        Assert.Equal(1, result.ExitCode);
        Assert.True(sandbox.Stats.Count("POST /v3/contacts") <= 6, $"{sandbox.Stats.Count("POST /v3/contacts")} POSTs");
        var operation = Operation(result);
        var error = operation.GetProperty("error").GetString()!;
        Assert.StartsWith("more than 5 records rejected (options.max_rejects; 30 of 30 read); most frequent: ", error, StringComparison.Ordinal);
        Assert.Contains("(e.g. \"Constant Contact refused the contact (400)", error, StringComparison.Ordinal);
        Assert.Equal(30, operation.GetProperty("rejected").GetInt64());
    }

    [Fact]
    public async Task Run_EveryRecordRejected_FailsWithExit1WithoutMaxRejects()
    {
        // Given: a CHECK constraint that refuses every row
        _folder.Write("in.csv", "email,age\na@example.com,3\nb@example.com,4\n");
        var pipeline = AdultsPipeline();

        // When
        var result = await Cli.RunAsync(["run", pipeline, "--output", "json", "--quiet"]);

        // Then
        Assert.Equal(1, result.ExitCode);
        var operation = Operation(result);
        Assert.Equal("error", operation.GetProperty("status").GetString());
        Assert.StartsWith("every record that reached the target was rejected (2 of 2 read)", operation.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhereFiltersEveryRecord_SucceedsWithAWarningInTextAndJson()
    {
        // Given: the condition names a column the file spells otherwise
        _folder.Write("in.csv", "email,opt_in\na@example.com,yes\nb@example.com,yes\n");
        var pipeline = _folder.Write("p.yaml", """
            project: outcomes
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                transform: { where: 'record.opt_in == "no"' }
                target: { connection: Out, activity: create }
            """);

        // When
        var json = await Cli.RunAsync(["run", pipeline, "--output", "json", "--quiet"]);
        var text = await Cli.RunAsync(["run", pipeline]);

        // Then
        Assert.Equal(0, json.ExitCode);
        var warning = Assert.Single(Operation(json).GetProperty("warnings").EnumerateArray()).GetString();
        Assert.StartsWith("the where condition filtered every record read (2)", warning, StringComparison.Ordinal);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Copy: warning: the where condition filtered every record read (2)", Cli.Unwrapped(text.Out + text.Error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RejectsWithinMaxRejectsAboveTenPercent_SucceedsWithAWarning()
    {
        // Given: 3 of 10 rows break a CHECK constraint
        _folder.Write("in.csv", "email,age\n" + string.Join('\n', Enumerable.Range(1, 10).Select(i => $"p{i}@example.com,{(i <= 3 ? 1 : 30)}")) + "\n");
        var pipeline = AdultsPipeline("{ max_rejects: 5 }");

        // When
        var result = await Cli.RunAsync(["run", pipeline, "--output", "json", "--quiet"]);

        // Then
        Assert.Equal(0, result.ExitCode);
        var warning = Assert.Single(Operation(result).GetProperty("warnings").EnumerateArray()).GetString();
        Assert.StartsWith("3 of 10 records read (30%) were rejected; most frequent: ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PercentMaxRejects_FailsOnlyWhenTheShareOfAllRecordsReadIsPassed()
    {
        // Given: 2 bad rows of 40 (5%), the first two
        _folder.Write("in.csv", "email,age\n" + string.Join('\n', Enumerable.Range(1, 40).Select(i => $"p{i}@example.com,{(i <= 2 ? 1 : 30)}")) + "\n");
        string Pipeline(string limit) => AdultsPipeline($"{{ max_rejects: \"{limit}\" }}");

        // When
        var within = await Cli.RunAsync(["run", Pipeline("5%"), "--output", "json", "--quiet"]);
        SqliteFile.Execute(_folder.File("db.sqlite"), "DELETE FROM people");
        var past = await Cli.RunAsync(["run", Pipeline("4%"), "--output", "json", "--quiet"]);

        // Then
        Assert.True(within.ExitCode == 0, within.ToString());
        Assert.Equal(1, past.ExitCode);
        Assert.StartsWith("more than 4% records rejected", Operation(past).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuoteNeverClosed_FailsNamingTheLineAndHowManyLinesItSwallowed()
    {
        // Given: line 3 opens a quote that never closes; 4 more lines follow
        _folder.Write("in.csv", "email,name\na@example.com,Ana\nb@example.com,\"Bo\nc@example.com,Cy\nd@example.com,Di\ne@example.com,Ed\n");
        var pipeline = _folder.Write("p.yaml", """
            project: outcomes
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
            """);

        // When
        var result = await Cli.RunAsync(["run", pipeline]);

        // Then
        Assert.Equal(1, result.ExitCode);
        var output = Cli.Unwrapped(result.Out + result.Error);
        Assert.Contains("in.csv:3: a quoted field opened on line 3 is never closed, so the rest of the file (4 line(s), to the end) was swallowed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PercentMaxDeletes_IsAShareOfTheTableWhenTheOperationStarts()
    {
        // Given: 100 rows; 4 deletes is 4% of the table (but 100% of the records read)
        SqliteFile.Execute(_folder.File("db.sqlite"), "CREATE TABLE contacts (email TEXT PRIMARY KEY)");
        SqliteFile.Execute(_folder.File("db.sqlite"), "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO contacts SELECT 'user' || i || '@example.com' FROM n");
        _folder.Write("gone.csv", "email\n" + string.Join('\n', Enumerable.Range(1, 4).Select(i => $"user{i}@example.com")) + "\n");
        string Pipeline(string guard) => _folder.Write("p.yaml", $$"""
            project: guards
            connections:
              - { name: Gone, type: csv, path: gone.csv }
              - { name: Db, type: sqlite, database: db.sqlite }
            operations:
              - name: Wipe
                source: { connection: Gone, activity: query }
                target: { connection: Db, activity: delete, table: contacts, key: [email] }
                options: { batch_size: 1, max_deletes: "{{guard}}" }
            """);

        // When
        var allowed = await Cli.RunAsync(["run", Pipeline("5%"), "--output", "json", "--quiet"]);

        // Then
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal(96L, SqliteFile.Scalar(_folder.File("db.sqlite"), "SELECT count(*) FROM contacts"));
    }

    public void Dispose() => _folder.Dispose();
}
