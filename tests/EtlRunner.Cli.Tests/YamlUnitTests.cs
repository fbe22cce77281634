using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>Unit tests written in the pipeline file (<c>tests:</c>), run by <c>etl validate</c> without any connection.</summary>
public sealed class YamlUnitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    // The source file does not exist and the target folder is never created: a test opens no connection.
    private const string Pipeline = """
        project: signups
        variables:
          newsletter_list: { secret: true }
          source_name: signups.csv
        connections:
          - { name: Signups, type: csv, path: data/signups.csv }
          - { name: Contacts, type: sqlite, database: out/contacts.db }
        operations:
          - name: Load signups
            source: { connection: Signups, activity: query }
            transform:
              where: record.opt_in == "yes"
              map:
                email: "{{ record.email | string.downcase }}"
                first_name: "{{ record.first_name }}"
                score: "{{ record.score | math.round }}"
                lists: "{{ [newsletter_list] }}"
                origin: "{{ source_name }}"
                address: "{{ { city: record.city, zip: record.zip } }}"
            target: { connection: Contacts, activity: create, table: contacts, create_table: true }
            set:
              loaded_by: "{{ system.run.id }}"
        tests:
        """;

    private const string Passing = """
          - name: signups are lower-cased, and only opted-in rows pass
            operation: Load signups
            given:
              - { email: "Ana@Example.com", first_name: Ana, opt_in: "yes", score: 4.6, city: Lyon, zip: "69001" }
              - { email: "bo@example.com", first_name: Bo, opt_in: "no", score: 1 }
            expect:
              - { email: "ana@example.com", first_name: Ana, score: 5, lists: [list-1], address: { city: Lyon, zip: "69001" } }
            expect_filtered: [1]
            variables: { newsletter_list: list-1 }
        """;

    [Fact]
    public async Task Validate_PassingTest_Exits0AndOpensNoConnection()
    {
        var file = Write(Passing);

        var result = await Cli.RunAsync(["validate", file]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1 file(s) valid; 1 test(s) passed, 0 failed", result.Error, StringComparison.Ordinal);
        Assert.Equal(["p.yaml"], Directory.EnumerateFileSystemEntries(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Validate_FailingTest_Exits2AndPrintsTheRecordIndexAndAFieldByFieldDiff()
    {
        var file = Write(Passing.Replace("email: \"ana@example.com\", first_name: Ana", "email: \"Ana@Example.com\", first_name: Ana", StringComparison.Ordinal)
            .Replace("zip: \"69001\" } }", "zip: \"69002\" } }", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:24:5: test 'signups are lower-cased, and only opted-in rows pass' of operation 'Load signups' failed", result.Out, StringComparison.Ordinal);
        Assert.Contains("p.yaml:30:9: record 0 at the target (from given[0]) differs", result.Out, StringComparison.Ordinal);
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        var email = lines.FindIndex(l => l.Trim().StartsWith("email ", StringComparison.Ordinal));
        Assert.Contains("expected \"Ana@Example.com\"", lines[email], StringComparison.Ordinal);
        Assert.Contains("actual   \"ana@example.com\"", lines[email + 1], StringComparison.Ordinal);
        var zip = lines.FindIndex(l => l.Trim().StartsWith("address.zip ", StringComparison.Ordinal));
        Assert.Contains("expected \"69002\"", lines[zip], StringComparison.Ordinal);
        Assert.Contains("actual   \"69001\"", lines[zip + 1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Trim().StartsWith("first_name ", StringComparison.Ordinal));
        Assert.Contains("0 test(s) passed, 1 failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OutputJson_CarriesEachTestWithItsFailures()
    {
        var file = Write(Passing, Passing
            .Replace("name: signups are lower-cased", "name: a number is not text", StringComparison.Ordinal)
            .Replace("score: 5,", "score: \"5\",", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file, "--output", "json"]);

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("tests_passed").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("tests_failed").GetInt32());
        var tests = json.RootElement.GetProperty("files")[0].GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(["passed", "failed"], tests.Select(t => t.GetProperty("status").GetString()));
        Assert.All(tests, t => Assert.Equal("Load signups", t.GetProperty("operation").GetString()));
        var failure = Assert.Single(tests[1].GetProperty("failures").EnumerateArray());
        Assert.Equal(0, failure.GetProperty("record").GetInt32());
        Assert.Equal(0, failure.GetProperty("given").GetInt32());
        var field = Assert.Single(failure.GetProperty("fields").EnumerateArray());
        Assert.Equal("score", field.GetProperty("field").GetString());
        Assert.Equal("\"5\"", field.GetProperty("expected").GetString());
        Assert.Equal("5", field.GetProperty("actual").GetString());
    }

    [Fact]
    public async Task Validate_TestNamingAnUnknownOperation_IsAPositionedProblem()
    {
        var file = Write(Passing.Replace("operation: Load signups", "operation: Load signup", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:25:16: test 'signups are lower-cased, and only opted-in rows pass': no operation named 'Load signup' (did you mean 'Load signups'?)", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 not run (their file is invalid)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MisspelledTestKey_SuggestsTheKnownOne()
    {
        var file = Write(Passing.Replace("expect_filtered:", "expect_filterd:", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:31:5: unknown key 'expect_filterd' in test 'signups are lower-cased, and only opted-in rows pass' (did you mean 'expect_filtered'?)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExpectFilteredAndExpectRejected_PassWhenTheyHold()
    {
        var file = Write("""
              - name: a score that is not a number is rejected, opted-out rows are filtered
                operation: Load signups
                given:
                  - { email: "a@example.com", opt_in: "no", score: "1" }
                  - { email: "b@example.com", opt_in: "yes", score: "lots" }
                  - { email: "c@example.com", opt_in: "no", score: "2" }
                expect: []
                expect_filtered: 2
                expect_rejected: [{ index: 1, reason: "math.round" }]
                variables: { newsletter_list: list-1 }
            """);

        var result = await Cli.RunAsync(["validate", file]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1 test(s) passed, 0 failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExpectFilteredAndExpectRejected_FailWithWhatHappenedInstead()
    {
        var file = Write("""
              - name: wrong expectations
                operation: Load signups
                given:
                  - { email: "a@example.com", opt_in: "no", score: "1" }
                  - { email: "b@example.com", opt_in: "yes", score: "lots" }
                expect_filtered: [1]
                expect_rejected: [{ index: 0 }]
                variables: { newsletter_list: list-1 }
            """);

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:29:22: expected given[1] filtered, got given[0]", result.Out, StringComparison.Ordinal);
        Assert.Contains("p.yaml:30:23: expected given[0] rejected, but given[0] was filtered by 'where'", result.Out, StringComparison.Ordinal);
        Assert.Contains("p.yaml:28:9: given[1] was rejected, which the test does not expect", result.Out, StringComparison.Ordinal);
        Assert.Contains("Unable to convert type `string` to `double`", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RejectReasonThatDoesNotMatch_FailsWithBothTexts()
    {
        var file = Write("""
              - name: reason must match
                operation: Load signups
                given:
                  - { email: "b@example.com", opt_in: "yes", score: "lots" }
                expect_rejected: [{ index: 0, reason: "score must be a number" }]
                variables: { newsletter_list: list-1 }
            """);

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("given[0] was rejected, but its reason does not contain \"score must be a number\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("actual   \"transform failed: '{{ record.score | math.round }}'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExpectGlobals_ComparesWhatSetProduces()
    {
        var file = Write(Passing, """
                expect_globals: { loaded_by: someone }
            """);

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("global 'loaded_by' differs", result.Out, StringComparison.Ordinal);
        Assert.Contains("actual   \"test\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TestVariables_OverrideDefaultsAndIgnoreTheEnvironment()
    {
        var file = Write(Passing.Replace("score: 5,", "score: 5, origin: from-test,", StringComparison.Ordinal)
            .Replace("variables: { newsletter_list: list-1 }", "variables: { newsletter_list: list-1, source_name: from-test }", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file], name => name switch
        {
            "ETL_VAR_NEWSLETTER_LIST" => "list-from-environment",
            "ETL_VAR_SOURCE_NAME" => "from-environment",
            _ => null,
        });

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Validate_TestVariableThatNothingDeclares_IsAPositionedProblem()
    {
        var file = Write(Passing.Replace("variables: { newsletter_list: list-1 }", "variables: { newsletter_lists: list-1 }", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("p.yaml:32:18: test 'signups are lower-cased, and only opted-in rows pass': 'newsletter_lists' is neither a project variable nor a global set upstream of operation 'Load signups' (did you mean 'newsletter_list'?)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RepositoryPipelinesAndExamples_EachHaveTestsThatPass()
    {
        var result = await Cli.RunAsync(["validate", Path.Combine(Cli.RepositoryRoot, "pipelines"), Path.Combine(Cli.RepositoryRoot, "examples"), "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.All(json.RootElement.GetProperty("files").EnumerateArray(), file =>
        {
            var tests = file.GetProperty("tests").EnumerateArray().ToList();
            Assert.True(tests.Count > 0, file.GetProperty("file").GetString() + " has no tests");
            Assert.All(tests, t => Assert.Equal("passed", t.GetProperty("status").GetString()));
        });
    }

    /// <summary>The pipeline with these items under <c>tests:</c>.</summary>
    private string Write(params string[] tests) => _folder.Write("p.yaml", string.Join("\n", [Pipeline, .. tests]) + "\n");

    public void Dispose() => _folder.Dispose();
}
