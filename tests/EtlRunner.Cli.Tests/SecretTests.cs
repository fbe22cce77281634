using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>Secrets never show, in any encoding, and values from outside the file never change a statement.</summary>
public sealed class SecretTests : IDisposable
{
    /// <summary>A quote, a backslash, a plus, a space, a slash and non-ASCII: every escaping rule has work to do.</summary>
    private const string Token = "Sv4r\"quo\\te+pl us/é€-9f8e7d6c5b4a3z";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Every form a value can take in output, computed here with the encoders output is written with.</summary>
    private static IEnumerable<(string Encoding, string Form)> Forms(string secret)
    {
        yield return ("as typed", secret);
        yield return ("JSON", JsonSerializer.Serialize(secret)[1..^1]);
        yield return ("relaxed JSON", JsonSerializer.Serialize(secret, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1]);
        yield return ("URL-encoded", Uri.EscapeDataString(secret));
        yield return ("form-encoded", WebUtility.UrlEncode(secret));
        yield return ("base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))[..^4]);
    }

    internal static void AssertNowhere(string secret, string where, string text)
    {
        foreach (var (encoding, form) in Forms(secret))
        {
            Assert.False(text.Contains(form, StringComparison.Ordinal), $"{where} holds the secret {encoding}: {form}\n{text}");
        }
    }

    private static void AssertNowhere(string secret, string where, byte[] bytes)
    {
        foreach (var (encoding, form) in Forms(secret))
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)) < 0, $"{where} holds the secret {encoding}: {form}");
        }
    }

    [Fact]
    public async Task EveryOutput_SecretWithQuotesBackslashesPlusAndNonAscii_IsMaskedInEveryEncoding()
    {
        // Given: the secret copied (plain, quoted, base64, Basic-auth style, URL-encoded) into records, the second of
        // which a CHECK constraint refuses, and inside the path of a file that does not exist
        _folder.Write("rows.csv", "id\n1\n2\n");
        SqliteFile.Execute(_folder.File("out.db"), "create table t (id integer, v text, quoted text, b64 text, basic text, url text, check (length(v) < 5 or id = 1))");
        var pipeline = _folder.Write("secrets.yaml", """
            project: encodings
            variables:
              token: { secret: true }
            connections:
              - { name: Rows, type: csv, path: rows.csv }
              - { name: Private, type: csv, path: "missing/[token].csv" }
              - { name: Db, type: sqlite, database: out.db }
            operations:
              - name: Load
                source: { connection: Rows, activity: query }
                transform:
                  map:
                    id: "{{ record.id }}"
                    v: "{{ token }}"
                    quoted: 'said "{{ token }}"'
                    b64: "{{ token | string.base64_encode }}"
                    basic: "{{ 'client-id:' + token | string.base64_encode }}"
                    url: "{{ token | html.url_encode }}"
                target: { connection: Db, activity: create, table: t }
                on_success: Copy private
              - name: Copy private
                source: { connection: Private, activity: query }
                target: { connection: Db, activity: create, table: u, create_table: true }
            """);
        var logFile = _folder.File("etl.log");
        var fromEnvironment = (Func<string, string?>)(name => name == "ETL_VAR_TOKEN" ? Token : null);
        var withVar = new[] { "--var", "token=" + Token };

        // When: run and test, text and JSON, the secret from --var and from ETL_VAR_TOKEN, logging to a file
        var results = new List<CliResult>
        {
            await Cli.RunAsync(["run", pipeline, "--log-level", "debug", "--log-file", logFile, .. withVar]),
            await Cli.RunAsync(["run", pipeline, "--output", "json", "--log-level", "debug", "--log-file", logFile], fromEnvironment),
            await Cli.RunAsync(["test", pipeline, .. withVar]),
            await Cli.RunAsync(["test", pipeline, "--output", "json", "--log-file", logFile], fromEnvironment),
            await Cli.RunAsync(["history", pipeline, "--output", "json"]),
        };

        // Then: the runs rejected a record and failed on the path (so the secret had every chance to show) ...
        Assert.All(results.Take(4), r => Assert.True(r.ExitCode == 1, r.ToString()));
        var rejects = Directory.GetFiles(_folder.File(".etl/rejects"), "Load.jsonl", SearchOption.AllDirectories);
        Assert.Equal(2, rejects.Length);
        Assert.All(rejects, f => Assert.Single(File.ReadAllLines(f)));
        Assert.Contains("***", results[1].Out, StringComparison.Ordinal);
        Assert.Contains("***", results[3].Out, StringComparison.Ordinal);

        // ... and no form of it is in any output, log line, rejects file or byte of the state database
        foreach (var result in results)
        {
            AssertNowhere(Token, "stdout", result.Out);
            AssertNowhere(Token, "stderr", result.Error);
        }

        foreach (var file in rejects.Append(logFile).Append(_folder.File(".etl/state.db")))
        {
            AssertNowhere(Token, file, File.ReadAllBytes(file));
        }
    }

    [Fact]
    public async Task Run_ConnectorThrowsWithTheSecretInItsMessage_LogFileHoldsTheStackTraceWithTheSecretMasked()
    {
        // Given: a CSV source whose path, in a folder that does not exist, holds the secret: the connector's exception says it
        var pipeline = _folder.Write("throws.yaml", """
            project: stack
            variables:
              token: { secret: true }
            connections:
              - { name: Private, type: csv, path: "missing/[token].csv" }
              - { name: Db, type: sqlite, database: out.db }
            operations:
              - name: Copy private
                source: { connection: Private, activity: query }
                target: { connection: Db, activity: create, table: u, create_table: true }
            """);
        var logFile = _folder.File("etl.log");

        // When
        var result = await Cli.RunAsync(["run", pipeline, "--log-file", logFile, "--var", "token=" + Token]);

        // Then: the log file holds the exception itself, its stack trace down into the connector, with the secret masked
        Assert.True(result.ExitCode == 1, result.ToString());
        var log = File.ReadAllText(logFile);
        Assert.Contains("   at EtlRunner.Connectors.Csv.", log, StringComparison.Ordinal);
        Assert.Contains("missing/***", log, StringComparison.Ordinal);
        AssertNowhere(Token, logFile, File.ReadAllBytes(logFile));
        AssertNowhere(Token, "stderr", result.Error);
    }

    [Fact]
    public async Task Run_SecretWithoutValueReadOnlyInAnExpression_FailsValidationAtItsLineAndColumn()
    {
        // Given: the secret is read by a map expression and by nothing else
        _folder.Write("rows.csv", "id\n1\n");
        var pipeline = _folder.Write("p.yaml", """
            project: expression-secret
            variables:
              token: { secret: true }
            connections:
              - { name: Rows, type: csv, path: rows.csv }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Sign
                source: { connection: Rows, activity: query }
                transform:
                  map:
                    id: "{{ record.id }}"
                    signature: "{{ record.id | string.append token }}"
                target: { connection: Out, activity: create }
            """);

        // When
        var result = await Cli.RunAsync(["run", pipeline]);

        // Then: refused before anything runs, like a secret a field needs
        Assert.True(result.ExitCode == 2, result.ToString());
        var expected = $"{pipeline}:13:50: operation 'Sign', map.signature: secret variable 'token' has no value: supply it with --var token=..., the environment variable ETL_VAR_TOKEN, or --env-file";
        Assert.True(result.Error.Contains(expected, StringComparison.Ordinal), result.ToString());
        Assert.False(File.Exists(_folder.File("out.csv")));
        Assert.False(Directory.Exists(_folder.File(".etl/rejects")));
    }

    private string SqlPipeline(string sql)
    {
        SqliteFile.Execute(_folder.File("db.sqlite"), """
            create table people (name text, n integer);
            insert into people values ('ada', 1), ('grace', 2), ('o''brien', 3);
            create table secrets (s text);
            insert into secrets values ('the-other-table-secret');
            """);
        return _folder.Write("sql.yaml", $$"""
            project: sql-values
            variables:
              name: ada
              min: 0
              token: { secret: true, value: "" }
            connections:
              - { name: Db, type: sqlite, database: db.sqlite }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Export
                source: { connection: Db, activity: query, sql: "{{sql}}" }
                target: { connection: Out, activity: create }
            """);
    }

    [Theory]
    [InlineData("select name, n from people where name = '[name]'")]
    [InlineData("select name, n from people where name = [name] and n >= [min]")]
    public async Task Run_VariableInSqlCarryingAnInjection_ReadsNothingFromAnotherTable(string sql)
    {
        // Given
        var pipeline = SqlPipeline(sql);

        // When
        var injected = await Cli.RunAsync(["run", pipeline, "--output", "json", "--var", "name=x' union select 99, s from secrets --"]);
        var injectedRows = File.ReadAllText(_folder.File("out.csv"));
        var plain = await Cli.RunAsync(["run", pipeline, "--var", "name=o'brien"]);

        // Then: the value is compared as a value: no row matches it, and the other table stays unread
        Assert.True(injected.ExitCode == 0, injected.ToString());
        using (var report = JsonDocument.Parse(injected.Out))
        {
            Assert.Equal(0, report.RootElement.GetProperty("operations")[0].GetProperty("read").GetInt32());
        }

        Assert.DoesNotContain("the-other-table-secret", injectedRows, StringComparison.Ordinal);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal("name,n\no'brien,3\n", File.ReadAllText(_folder.File("out.csv")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Run_SecretInSqlOfAFailingQuery_NeverAppearsInTheError()
    {
        // Given: a secret SQLite could not even tokenize if it were spliced in, in a query that fails anyway
        const string Secret = "abc-9f8e7d6c5b4a3z";
        var pipeline = SqlPipeline("select * from missing_table where s = [token]");

        // When
        var text = await Cli.RunAsync(["run", pipeline, "--var", "token=" + Secret]);
        var json = await Cli.RunAsync(["run", pipeline, "--output", "json"], name => name == "ETL_VAR_TOKEN" ? Secret : null);

        // Then: the error is about the statement, and holds no part of the secret
        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Contains("no such table: missing_table", text.Out + text.Error, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 1, json.ToString());
        foreach (var output in new[] { text.Out, text.Error, json.Out, json.Error })
        {
            Assert.DoesNotContain("9f8e7d6c5b4a3z", output, StringComparison.Ordinal);
        }

        Assert.True(File.ReadAllBytes(_folder.File(".etl/state.db")).AsSpan().IndexOf("9f8e7d6c5b4a3z"u8) < 0);
    }

    public static TheoryData<string[]> MistypedVariables() => new()
    {
        new[] { "run", "{file}", "--var", "=" + Token },
        new[] { "run", "{file}", "--var", "s_var:" + Token },
        new[] { "plan", "{file}", "--var=s_var:" + Token },
        new[] { "run", "{file}", "--var", "s_var=", Token },
        new[] { "test", "{file}", "--quiet", Token },
    };

    [Theory]
    [MemberData(nameof(MistypedVariables))]
    public async Task CommandLine_MistypedVariableOrStrayArgument_ErrorMasksTheValueInTextAndJson(string[] args)
    {
        // Given
        var file = _folder.Write("p.yaml", "project: p\nvariables:\n  s_var: { secret: true }\n");
        var typed = args.Select(a => a.Replace("{file}", file, StringComparison.Ordinal)).ToArray();

        // When
        var text = await Cli.RunAsync(typed);
        var json = await Cli.RunAsync([.. typed, "--output", "json"]);

        // Then: refused as a command-line error that shows *** where the value was
        Assert.True(text.ExitCode == 2, text.ToString());
        Assert.StartsWith("error: ", text.Error, StringComparison.Ordinal);
        Assert.Contains("***", text.Error, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 2, json.ToString());
        using var report = JsonDocument.Parse(json.Out);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Contains("***", report.RootElement.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        foreach (var result in new[] { text, json })
        {
            AssertNowhere(Token, "stdout", result.Out);
            AssertNowhere(Token, "stderr", result.Error);
        }
    }

    /// <summary>A token endpoint on 127.0.0.1 that refuses every refresh and echoes the whole request into its reply.</summary>
    private sealed class EchoingTokenEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();

        public EchoingTokenEndpoint()
        {
            using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/token";
            probe.Stop();
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                var request = $"Authorization: {context.Request.Headers["Authorization"]}\n{await reader.ReadToEndAsync()}";
                var reply = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
                {
                    ["error"] = "invalid_grant: " + request,
                    ["error_description"] = "the request was " + request,
                    ["request"] = request,
                });
                context.Response.StatusCode = 400;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(reply);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    [Fact]
    public async Task Run_TokenEndpointEchoesTheRefreshRequest_ErrorShowsItsCodeAndNoCredential()
    {
        // Given: an access token the API refuses, and a token endpoint that echoes Basic auth and the form body
        const string ClientId = "client-id-8c2e4a";
        const string ClientSecret = "client+secret/\"7b1d\\é";
        const string RefreshToken = "refresh token+9d3f5b&x=y";
        using var tokenEndpoint = new EchoingTokenEndpoint();
        await using var sandbox = await EtlRunner.Sandbox.ConstantContactSandbox.StartAsync(new EtlRunner.Sandbox.SandboxOptions { Port = 0, RateLimit = false });
        var pipeline = _folder.Write("cc.yaml", $$"""
            project: refresh
            variables:
              cc_api_key: { secret: true }
              cc_refresh_token: { secret: true }
              cc_client_secret: { secret: true }
            connections:
              - name: Constant Contact
                type: constantcontact
                api_key: "[cc_api_key]"
                access_token: stale-access-token-123456
                refresh_token: "[cc_refresh_token]"
                client_secret: "[cc_client_secret]"
                base_url: {{sandbox.BaseUrl}}
                token_url: {{tokenEndpoint.Url}}
                max_retries: 0
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Export
                source: { connection: Constant Contact, activity: query }
                target: { connection: Out, activity: create }
            """);
        var vars = new[] { "--var", "cc_api_key=" + ClientId, "--var", "cc_refresh_token=" + RefreshToken, "--var", "cc_client_secret=" + ClientSecret };
        var logFile = _folder.File("etl.log");

        // When
        var text = await Cli.RunAsync(["run", pipeline, "--log-level", "debug", "--log-file", logFile, .. vars]);
        var json = await Cli.RunAsync(["run", pipeline, "--output", "json", "--log-level", "debug", .. vars]);
        var history = await Cli.RunAsync(["history", pipeline, "--output", "json"]);

        // Then: the refresh failed with the endpoint's error code ...
        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Contains("(invalid_grant", text.Out, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 1, json.ToString());
        Assert.Contains("refreshing it failed (invalid_grant", json.Out, StringComparison.Ordinal);

        // ... and no credential the request carried shows, in any encoding, anywhere
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));
        foreach (var secret in new[] { ClientId, ClientSecret, RefreshToken })
        {
            foreach (var result in new[] { text, json, history })
            {
                AssertNowhere(secret, "stdout", result.Out);
                AssertNowhere(secret, "stderr", result.Error);
            }

            AssertNowhere(secret, "the log file", File.ReadAllBytes(logFile));
            AssertNowhere(secret, "state.db", File.ReadAllBytes(_folder.File(".etl/state.db")));
        }

        Assert.DoesNotContain(basic[4..^4], text.Out + text.Error + json.Out + File.ReadAllText(logFile), StringComparison.Ordinal);
    }
}
