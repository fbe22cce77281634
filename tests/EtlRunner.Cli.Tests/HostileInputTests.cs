using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlRunner.Sandbox;
using EtlRunner.Testing;
using Microsoft.Data.Sqlite;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Hostile input through the whole CLI: each case ends with an exact outcome (message naming the file, line and
/// problem; exit code) and no partial or silent damage. Connector-level cases (quoting, encodings, constraint
/// rejects) are covered in the connector tests; these go through <c>etl</c> end to end.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private const int HugeField = 100_000_000;

    private readonly TempFolder _folder = new();

    private static JsonElement Operation(CliResult result, int index = 0)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("operations")[index].Clone();
    }

    private static List<JsonElement> RejectLines(string path) =>
        [.. File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static List<object?[]> Rows(string database, string sql) => SqliteFile.Rows(database, sql);

    [Fact]
    public async Task Run_CsvWithA100MegabyteField_CopiesItWholeWithBoundedMemory()
    {
        // Given: one row whose second field is 100 MB (no line break), between two small rows
        using (var csv = new StreamWriter(_folder.File("big.csv"), append: false, new UTF8Encoding(false)))
        {
            csv.Write("id,blob\n1,small\n2,");
            var chunk = new string('x', 1_000_000);
            for (var i = 0; i < HugeField / chunk.Length; i++)
            {
                csv.Write(chunk);
            }

            csv.Write("\n3,small\n");
        }

        var pipeline = _folder.Write("big.yaml", """
            project: big-field
            connections:
              - { name: In, type: csv, path: big.csv }
              - { name: Out, type: csv, path: out.csv }
              - { name: Db, type: sqlite, database: sizes.db }
            operations:
              - name: Copy
                source: { connection: In, activity: query }
                target: { connection: Out, activity: create }
              - name: Sizes
                source: { connection: In, activity: query }
                transform: { map: { id: "{{ record.id }}", size: "{{ record.blob | string.size }}" } }
                target: { connection: Db, activity: create, table: sizes, create_table: true }
            """);

        // When: in a process of its own, so its peak memory is its own
        var (code, output, error, peakMegabytes) = await RunProcessAsync(["run", pipeline, "--output", "json", "--quiet"]);

        // Then: read and written like any field, with memory a small multiple of the field
        Assert.True(code == 0, output + error);
        using var json = JsonDocument.Parse(output);
        foreach (var operation in json.RootElement.GetProperty("operations").EnumerateArray())
        {
            Assert.Equal((3, 3, 0), (operation.GetProperty("read").GetInt32(), operation.GetProperty("written").GetInt32(), operation.GetProperty("rejected").GetInt32()));
        }

        Assert.Equal([[1L, 5L], [2L, (long)HugeField], [3L, 5L]], Rows(_folder.File("sizes.db"), "select cast(id as integer), cast(size as integer) from sizes order by 1"));
        var copy = new FileInfo(_folder.File("out.csv"));
        Assert.InRange(copy.Length, HugeField, HugeField + 64);
        Assert.Equal(HugeField, CountByte(copy.FullName, (byte)'x'));
        Assert.True(peakMegabytes is > 0 and < 1536, $"peak memory {peakMegabytes} MB");
    }

    private static long CountByte(string path, byte value)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        long count = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count(value);
        }

        return count;
    }

    [Fact]
    public async Task Run_CsvWithInvalidUtf8AndAnUnterminatedQuote_RejectsThoseRowsWithTheirLineNumbersAndFails()
    {
        // Given
        File.WriteAllBytes(_folder.File("in.csv"), [.. "id,name\n1,Ada\n2,"u8, 0xC3, 0x28, .. "bad\n3,\"Grace, H\"\n4,\"never closed\n5,Eve\n"u8]);
        var pipeline = _folder.Write("p.yaml", """
            project: hostile-csv
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Db, type: sqlite, database: out.db }
            operations:
              - name: Load
                source: { connection: In, activity: query }
                target: { connection: Db, activity: create, table: people, create_table: true }
            """);

        // When
        var result = await Cli.RunAsync(["run", pipeline]);

        // Then: the two bad rows are rejected with file:line and why; the quote that swallowed the rest of the file
        // fails the run, and the good rows read before it wait in the rejects file for etl replay
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("in.csv:5: a quoted field opened on line 5 is never closed, so the rest of the file (2 line(s), to the end) was swallowed", Cli.Unwrapped(result.Out), StringComparison.Ordinal);
        var rejectsFile = Directory.GetFiles(_folder.File(".etl/rejects"), "Load.jsonl", SearchOption.AllDirectories).Single();
        Assert.Contains($"Load: 4 rejected record(s) in {rejectsFile}", result.Out, StringComparison.Ordinal);
        var rejects = RejectLines(rejectsFile).Where(r => r.GetProperty("stage").GetString() == "read" && r.TryGetProperty("raw", out _)).ToList();
        Assert.Equal(2, rejects.Count);
        Assert.Equal(("read", "in.csv:3", "line 3: the row holds bytes that are not valid utf-8", "2,\uFFFD(bad"), Describe(rejects[0]));
        Assert.Equal(
            ("read", "in.csv:5", "line 5: a quoted field is never closed (unterminated quote); the rest of the file was read as this one row", "4,\"never closed\n5,Eve\n"),
            Describe(rejects[1]));

        static (string?, string?, string?, string?) Describe(JsonElement reject) => (
            reject.GetProperty("stage").GetString(), reject.GetProperty("origin").GetString(), reject.GetProperty("reason").GetString(), reject.GetProperty("raw").GetString());
    }

    [Fact]
    public async Task Run_SqliteNamesWithQuotesSpacesAndKeywords_AndValuesThatLookLikeSql_AreStoredVerbatim()
    {
        // Given: a table name and column names that would break (or inject into) unquoted SQL, values that look like SQL
        _folder.Write("in.csv", "id,name,note\n1,\"Robert'); DROP TABLE sentinel;--\",1 OR 1=1\n2,\"\"\"; DELETE FROM sentinel; --\",' OR ''='\n");
        using (var connection = new SqliteConnection($"Data Source={_folder.File("out.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE sentinel (x TEXT); INSERT INTO sentinel VALUES ('still here');";
            command.ExecuteNonQuery();
        }

        var pipeline = _folder.Write("p.yaml", """
            project: hostile-names
            variables:
              table: 'order "details"; DROP TABLE sentinel; --'
              probe: "' OR 1=1 --"
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Db, type: sqlite, database: out.db }
              - { name: Out, type: csv, path: out.csv }
              - { name: Probe, type: csv, path: probe.csv }
            operations:
              - name: Load
                source: { connection: In, activity: query }
                transform:
                  map:
                    select: "{{ record.id }}"
                    first name: "{{ record.name }}"
                    'a"b': "{{ record.note }}"
                    group: "); DROP TABLE sentinel; --"
                target: { connection: Db, activity: create, table: "[table]", create_table: true, key: [select] }
                on_success: Touch
              - name: Touch
                source: { connection: In, activity: query }
                transform: { map: { select: "{{ record.id }}", group: "{{ record.note }} -- updated" } }
                target: { connection: Db, activity: update, table: "[table]", key: [select] }
                on_success: Export
              - name: Export
                source: { connection: Db, activity: query, table: "[table]" }
                target: { connection: Out, activity: create }
                on_success: Injection probe
              - name: Injection probe
                source: { connection: Db, activity: query, sql: "select x from sentinel where x = $v", parameters: { v: "[probe]" } }
                target: { connection: Probe, activity: create }
            """);

        // When
        var result = await Cli.RunAsync(["run", pipeline, "--output", "json"]);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, Operation(result, 0).GetProperty("written").GetInt32());
        Assert.Equal(2, Operation(result, 1).GetProperty("written").GetInt32());
        Assert.Equal(0, Operation(result, 3).GetProperty("read").GetInt32()); // the probe value was bound, not spliced
        var database = _folder.File("out.db");
        Assert.Equal([["still here"]], Rows(database, "select x from sentinel"));
        Assert.Equal(
            [["sentinel"], ["order \"details\"; DROP TABLE sentinel; --"]],
            Rows(database, "select name from sqlite_master where type = 'table' order by name desc"));
        Assert.Equal(
            [
                ["1", "Robert'); DROP TABLE sentinel;--", "1 OR 1=1", "1 OR 1=1 -- updated"],
                ["2", "\"; DELETE FROM sentinel; --", "' OR ''='", "' OR ''=' -- updated"],
            ],
            Rows(database, "select \"select\", \"first name\", \"a\"\"b\", \"group\" from \"order \"\"details\"\"; DROP TABLE sentinel; --\" order by 1"));
        Assert.Equal(
            "select,first name,\"a\"\"b\",group\n1,Robert'); DROP TABLE sentinel;--,1 OR 1=1,1 OR 1=1 -- updated\n2,\"\"\"; DELETE FROM sentinel; --\",' OR ''=',' OR ''=' -- updated\n",
            File.ReadAllText(_folder.File("out.csv")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Run_SqliteDatabaseLockedByAnotherWriter_FailsAfterTheBusyTimeoutWithExit1AndWritesNothing()
    {
        // Given: another connection holds a write transaction on the target database
        var database = _folder.File("out.db");
        _folder.Write("in.csv", "id,name\n1,a\n2,b\n");
        var pipeline = _folder.Write("p.yaml", """
            project: locked
            connections:
              - { name: In, type: csv, path: in.csv }
              - { name: Db, type: sqlite, database: out.db, busy_timeout: 1 }
            operations:
              - name: Load
                source: { connection: In, activity: query }
                target: { connection: Db, activity: create, table: t }
            """);
        using var holder = new SqliteConnection($"Data Source={database};Pooling=False");
        holder.Open();
        using (var create = holder.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (id TEXT, name TEXT)";
            create.ExecuteNonQuery();
        }

        CliResult result;
        TimeSpan elapsed;
        using (var transaction = holder.BeginTransaction(deferred: false))
        {
            using (var insert = holder.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO t VALUES ('held', 'by the test')";
                insert.ExecuteNonQuery();
            }

            // When
            var clock = Stopwatch.StartNew();
            result = await Cli.RunAsync(["run", pipeline]);
            elapsed = clock.Elapsed;
            transaction.Commit();
        }

        // Then: a clear error after waiting busy_timeout, every record rejected with it, nothing written
        Assert.True(result.ExitCode == 1, result.ToString());
        var reason = $"database is locked by another process: {database} (waited 1 s)";
        Assert.Contains($"Load failed: writing to Db failed: {reason}", result.Out, StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        var rejects = RejectLines(Directory.GetFiles(_folder.File(".etl/rejects"), "Load.jsonl", SearchOption.AllDirectories).Single());
        Assert.Equal(["in.csv:2", "in.csv:3"], rejects.Select(r => r.GetProperty("origin").GetString()));
        Assert.All(rejects, r => Assert.Equal($"not written: writing to Db failed: {reason}", r.GetProperty("reason").GetString()));
        Assert.Equal([["held", "by the test"]], Rows(database, "select * from t")); // only the other writer's row
    }

    [Fact]
    public async Task Validate_FolderOfHostileFiles_ReportsEachBadFileAndExits2Quickly()
    {
        // Given: valid files beside a billion-laughs alias bomb, binary bytes, an empty file, tabs, a deep nesting;
        // files that are not .yaml/.yml are not pipelines
        _folder.Write("pipes/good.yaml", "project: a\nconnections: []\noperations: []\n");
        _folder.Write("pipes/nested/good.yml", "project: b\nconnections: []\noperations: []\n");
        var laughs = new StringBuilder("project: lol\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            laughs.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1},*a{i - 1},*a{i - 1},*a{i - 1},*a{i - 1},*a{i - 1},*a{i - 1},*a{i - 1},*a{i - 1}]\n");
        }

        _folder.Write("pipes/laughs.yaml", laughs.ToString());
        File.WriteAllBytes(_folder.File("pipes/binary.yaml"), [0x00, 0xFF, 0xFE, 0xC3, 0x28, 0x9F, 0x00, 0x0A]);
        _folder.Write("pipes/empty.yml", string.Empty);
        _folder.Write("pipes/tabs.yaml", "project: t\nconnections:\n\t- name: x\noperations: []\n");
        _folder.Write("pipes/deep.yaml", "project: d\nx: " + new string('[', 5000) + new string(']', 5000) + "\n");
        _folder.Write("pipes/notes.txt", "project: [\n");
        _folder.Write("pipes/data.json", "{\"not\": \"a pipeline\"");

        // When
        var clock = Stopwatch.StartNew();
        var result = await Cli.RunAsync(["validate", _folder.File("pipes")]);
        var json = await Cli.RunAsync(["validate", _folder.File("pipes"), "--output", "json"]);

        // Then
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "validation must not expand the alias bomb");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("5 of 7 file(s) invalid, 5 problem(s)", result.Error, StringComparison.Ordinal);
        var pipes = _folder.File("pipes");
        Assert.Equal(
            [
                $"{pipes}/binary.yaml: the file is not valid UTF-8 text",
                $"{pipes}/deep.yaml:2:68: the YAML is nested more than 64 levels deep",
                $"{pipes}/empty.yml:1:1: the file is empty; a pipeline needs 'project', 'connections' and 'operations'",
                $"{pipes}/laughs.yaml:8:5: the YAML expands to more than 1,000,000 nodes (aliases of aliases?); refusing to load it",
                $"{pipes}/tabs.yaml:3:1: YAML syntax error: While scanning a mapping, found invalid tab as indentation. (YAML does not allow tabs for indentation; use spaces)",
            ],
            result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, json.ExitCode);
        using var report = JsonDocument.Parse(json.Out);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        var files = report.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => Path.GetFileName(f.GetProperty("file").GetString()!), f => f.GetProperty("problems").GetArrayLength());
        Assert.Equal(7, files.Count);
        Assert.Equal(0, files["good.yaml"] + files["good.yml"]);
        Assert.All(new[] { "laughs.yaml", "binary.yaml", "empty.yml", "tabs.yaml", "deep.yaml" }, bad => Assert.True(files[bad] > 0, bad));
    }

    [Fact]
    public async Task Validate_DefaultsThatEachRepeatThePreviousFourTimes_FailNamingTheVariablePastTheLimit()
    {
        // Given: about 600 bytes of defaults that describe 8 * 4^13 characters (the issue's file), and a legitimate
        // chain 30 variables deep
        var bomb = new StringBuilder("project: bomb\nvariables:\n  v0: \"abcdefgh\"\n");
        var deep = new StringBuilder("project: deep\nvariables:\n  d0: out\n");
        for (var i = 1; i <= 30; i++)
        {
            if (i <= 13)
            {
                bomb.Append(CultureInfo.InvariantCulture, $"  v{i}: \"[v{i - 1}][v{i - 1}][v{i - 1}][v{i - 1}]\"\n");
            }

            deep.Append(CultureInfo.InvariantCulture, $"  d{i}: \"[d{i - 1}]/{i}\"\n");
        }

        const string Rest = "connections:\n  - {{ name: Out, type: csv, path: \"[{0}].csv\" }}\noperations:\n  - {{ name: Copy, source: {{ connection: Out, activity: query }}, target: {{ connection: Out, activity: create }} }}\n";
        var bombFile = _folder.Write("bomb.yaml", bomb.Append(string.Format(CultureInfo.InvariantCulture, Rest, "v13")).ToString());
        var deepFile = _folder.Write("deep.yaml", deep.Append(string.Format(CultureInfo.InvariantCulture, Rest, "d30")).ToString());

        // When
        var result = await Cli.RunAsync(["validate", bombFile, deepFile]);
        var plan = await Cli.RunAsync(["plan", deepFile]);

        // Then: the first variable past 1 MiB is named at its line; the deep chain resolves
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(
            [$"{bombFile}:12:7: variable 'v9' expands to more than 1,048,576 characters, the limit for a resolved value (at [v8]): repeat the variable less or make it smaller"],
            result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains(Path.Combine(_folder.Path, "out/" + string.Join('/', Enumerable.Range(1, 30)) + ".csv"), plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCommand_NeverPrintsStoresOrLogsTheSecretValues()
    {
        // Given: secrets used as the Constant Contact credentials and inside a CSV path that does not exist, and
        // copied into a field of a record the API refuses (so it reaches the rejects file)
        const string Token = "tok-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a";
        const string ApiKey = "key-0c1d2e3f4a5b6c7d";
        _folder.Write("data/signups.csv", "email,first_name,leak\nada@example.com,Ada,no\ngrace@example.com,Grace,yes\n");
        var pipeline = _folder.Write("secrets.yaml", """
            project: secrets
            variables:
              cc_api_key: { secret: true }
              cc_access_token: { secret: true }
              cc_base_url: http://127.0.0.1:9/v3
              data_dir: data
            connections:
              - { name: Signups, type: csv, path: "[data_dir]/signups.csv" }
              - { name: Private, type: csv, path: "[data_dir]/[cc_access_token].csv" }
              - { name: Out, type: csv, path: out.csv }
              - name: Constant Contact
                type: constantcontact
                api_key: "[cc_api_key]"
                access_token: "[cc_access_token]"
                base_url: "[cc_base_url]"
                timeout_seconds: 2
                max_retries: 0
            operations:
              - name: Load signups
                source: { connection: Signups, activity: query }
                transform:
                  map:
                    email_address: "{{ record.email }}"
                    first_name: "{{ record.first_name }}"
                    last_name: "{{ record.leak == 'yes' ? cc_access_token + ' ' + cc_access_token : 'Plain' }}"   # over 50 characters: refused
                target: { connection: Constant Contact, activity: create }
              - name: Copy private
                source: { connection: Private, activity: query }
                target: { connection: Out, activity: create }
            """);
        await using var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { Port = 0, RateLimit = false, AccessToken = Token, ClientId = ApiKey });
        var vars = new[] { "--var", $"cc_api_key={ApiKey}", "--var", $"cc_access_token={Token}" };
        var fromEnvironment = (Func<string, string?>)(name => name switch
        {
            "ETL_VAR_CC_API_KEY" => ApiKey,
            "ETL_VAR_CC_ACCESS_TOKEN" => Token,
            _ => null,
        });
        var toSandbox = new[] { "--var", $"cc_base_url={sandbox.BaseUrl}" };
        var logFile = _folder.File("etl.log");
        var outputs = new List<(string Command, CliResult Result)>();

        async Task<CliResult> Etl(int expectedExit, params string[] args)
        {
            // half the commands take the secrets from ETL_VAR_*, half from --var (history takes no variables)
            var useEnvironment = outputs.Count % 2 == 1 || args[0] == "history";
            var result = await Cli.RunAsync(useEnvironment ? args : [.. args, .. vars], useEnvironment ? fromEnvironment : null);
            outputs.Add((string.Join(' ', args), result));
            Assert.True(result.ExitCode == expectedExit, $"etl {string.Join(' ', args)}\n{result}");
            return result;
        }

        // When: every command, text and json, with debug logging to the console and to a file
        await Etl(0, "validate", pipeline);
        await Etl(0, "validate", pipeline, "--output", "json");
        await Etl(0, "plan", pipeline);
        await Etl(0, "plan", pipeline, "--output", "json", "--log-level", "debug");
        await Etl(0, "connections", pipeline);
        await Etl(1, "test", pipeline, "--log-level", "debug");
        await Etl(1, "test", pipeline, "--output", "json", "--log-file", logFile);
        await Etl(1, ["test", pipeline, .. toSandbox, "--log-level", "debug", "--log-file", logFile]);
        var closed = await Etl(1, "run", pipeline, "--log-level", "debug", "--log-file", logFile);
        await Etl(1, "run", pipeline, "--output", "json", "--log-level", "trace");
        var open = await Etl(1, ["run", pipeline, .. toSandbox, "--output", "json", "--log-level", "debug", "--log-file", logFile]);
        await Etl(1, ["run", pipeline, .. toSandbox, "--log-level", "debug"]);
        await Etl(0, "history", pipeline);
        await Etl(0, "history", pipeline, "--output", "json");
        var rejectsFiles = Directory.GetFiles(_folder.File(".etl"), "*.jsonl", SearchOption.AllDirectories);
        var replay = await Cli.RunAsync(["replay", rejectsFiles.First(), "--pipeline", pipeline, .. toSandbox, "--log-level", "debug", .. vars]);
        outputs.Add(("replay", replay));
        Assert.True(replay.ExitCode is 0 or 1, replay.ToString()); // it ran (the refused record is refused again)

        // Then: the runs did fail where the secrets are (so the messages had every chance to carry them) ...
        Assert.True(closed.Out.Contains("Copy private", StringComparison.Ordinal), closed.ToString());
        Assert.Contains("***", closed.Out + closed.Error, StringComparison.Ordinal);
        Assert.Contains("cannot reach 127.0.0.1:9", closed.Out + closed.Error, StringComparison.Ordinal);
        Assert.Equal(1, Operation(open).GetProperty("written").GetInt32());
        Assert.Equal(1, Operation(open).GetProperty("rejected").GetInt32());
        Assert.NotEmpty(rejectsFiles);
        Assert.Contains(rejectsFiles.Select(File.ReadAllText), text => text.Contains("***", StringComparison.Ordinal));
        Assert.True(new FileInfo(logFile).Length > 0);
        Assert.True(File.Exists(_folder.File(".etl/state.db")));

        // ... and neither value appears in any output, log, rejects file, or in the bytes of any state file
        foreach (var (command, result) in outputs)
        {
            foreach (var secret in new[] { Token, ApiKey })
            {
                Assert.False(result.Out.Contains(secret, StringComparison.Ordinal), $"etl {command}: stdout holds a secret\n{result.Out}");
                Assert.False(result.Error.Contains(secret, StringComparison.Ordinal), $"etl {command}: stderr holds a secret\n{result.Error}");
            }
        }

        var files = Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".yaml", StringComparison.Ordinal) && !f.EndsWith(".csv", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("state.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in new[] { Token, ApiKey })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} holds a secret");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{file} holds a secret (UTF-16)");
            }
        }
    }

    /// <summary>Runs <c>etl</c> in a process of its own; returns its exit code, stdout, and peak resident memory (VmHWM) in MB.</summary>
    private static async Task<(int Code, string Out, string Error, long PeakMegabytes)> RunProcessAsync(string[] arguments)
    {
        using var process = Process.Start(ResumeTests.EtlProcess(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in await File.ReadAllLinesAsync($"/proc/{process.Id}/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        peak = Math.Max(peak, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
                    }
                }
            }
            catch (IOException)
            {
                // The process ended between the check and the read.
            }

            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error, peak);
    }

    public void Dispose() => _folder.Dispose();
}
