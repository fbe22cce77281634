using System.Text.Json;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Connectors;
using EtlRunner.Execution;
using EtlRunner.Testing;
using Spectre.Console;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Progress of <c>etl run</c>: plain lines on stderr when not on a terminal (CI, cron, pipes), a live table on a
/// terminal, nothing with --quiet or --output json, and never anything but the summary or JSON on stdout.
/// </summary>
public sealed class ProgressTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>A few thousand rows in small batches: long enough for several 20 ms progress intervals.</summary>
    private string CsvToSqlite()
    {
        File.WriteAllLines(_folder.File("rows.csv"), ["id,name", .. Enumerable.Range(0, 200_000).Select(i => $"{i},name{i}")]);
        return _folder.Write("load.yaml", """
            project: progress
            connections:
              - { name: Rows, type: csv, path: rows.csv }
              - { name: Db, type: sqlite, database: rows.db }
            operations:
              - name: Load rows
                source: { connection: Rows, activity: query }
                transform: { map: { id: "{{ record.id }}", name: "{{ record.name | string.upcase }}" } }
                target: { connection: Db, activity: create, table: rows, create_table: true }
                options: { batch_size: 20 }
            """);
    }

    private static async Task<CliResult> RunAsync(string[] args, bool terminal = false, Func<ConnectorRegistry>? connectors = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            IsTerminal = terminal,
            NoColor = true,
            EnvironmentVariable = _ => null,
            ProgressInterval = TimeSpan.FromMilliseconds(20),
            Connectors = connectors ?? ConnectorCatalog.Create,
        };
        var code = await EtlApp.RunAsync(args, environment);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Run_NotATerminal_WritesStartedPeriodicAndFinalLinesNamingTheOperation()
    {
        var file = CsvToSqlite();

        var result = await RunAsync(["run", file]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Error);
        Assert.StartsWith("Load rows: started: Rows (csv) query -> Db (sqlite) create", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Load rows: read ", StringComparison.Ordinal) && l.Contains(" rec/s | ", StringComparison.Ordinal) && l.Contains(" elapsed", StringComparison.Ordinal));
        Assert.StartsWith("Load rows: success in ", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith("read 200,000, filtered 0, written 200,000 (created 200,000), skipped 0, rejected 0", lines[^1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.StartsWith("Load rows: ", l, StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b[", result.Error + result.Out, StringComparison.Ordinal);
        Assert.Contains("Load rows", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TargetWaiting_IntervalLinesCarryTheReason()
    {
        var file = _folder.Write("throttled.yaml", """
            project: throttled
            connections:
              - { name: Api, type: throttled }
            operations:
              - name: Push
                source: { connection: Api, activity: query, generate: 40 }
                target: { connection: Api, activity: create }
                options: { batch_size: 10 }
            """);

        var result = await RunAsync(["run", file], connectors: () => ConnectorCatalog.Create().Add(new ThrottledConnector()));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Lines(result.Error), l => l.StartsWith("Push: read ", StringComparison.Ordinal) && l.EndsWith("| waiting: " + ThrottledConnector.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Quiet_LeavesStderrEmpty()
    {
        var file = CsvToSqlite();

        var result = await RunAsync(["run", file, "--quiet"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Error);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("test")]
    public async Task Command_OutputJson_StdoutIsOnlyJson(string command)
    {
        var file = CsvToSqlite();

        var result = await RunAsync([command, file, "--output", "json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.DoesNotContain("Load rows: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnATerminal_DrawsTheLiveTableOnStderrOnly()
    {
        var file = CsvToSqlite();

        var result = await RunAsync(["run", file], terminal: true);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\u001b[?25l", result.Error, StringComparison.Ordinal);
        Assert.Contains("Load rows", result.Error, StringComparison.Ordinal);
        Assert.Contains("success", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Load rows: started", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Out, StringComparison.Ordinal);
        Assert.Contains("200,000", result.Out, StringComparison.Ordinal);
    }

    private static readonly List<LiveProgressRow> Rows =
    [
        new("Create contacts", OperationStatus.Succeeded, new ProgressSnapshot(new OperationCounts(16, 4, 10, 0, 2), TimeSpan.FromSeconds(2))),
        new("Update companies", null, new ProgressSnapshot(new OperationCounts(1234, 34, 1100, 0, 100), TimeSpan.FromSeconds(10), 0.25, "throttled (429), retry 1/5 in 1.20s")),
    ];

    [Theory]
    [InlineData(140)]
    [InlineData(80)]
    public void Build_RunningOperations_ShowCountsRatePercentageTimeLeftAndWaitingReason(int width)
    {
        var console = TestConsole(width, out var writer);

        console.Write(LiveProgressView.Build(Rows, console));

        var text = writer.ToString();

        Assert.Contains("Create contacts", text, StringComparison.Ordinal);
        Assert.Contains("success", text, StringComparison.Ordinal);
        Assert.Contains("Update companies", text, StringComparison.Ordinal);
        Assert.Contains("1,234", text, StringComparison.Ordinal);
        Assert.Contains("1,100", text, StringComparison.Ordinal);
        Assert.Contains("110/s", text, StringComparison.Ordinal);
        Assert.Contains(" 25% ~30s left", text, StringComparison.Ordinal);
        Assert.Contains("waiting: throttled (429)", text, StringComparison.Ordinal);
        Assert.Equal(width == 140, text.Contains('╭', StringComparison.Ordinal));
        Assert.Matches(width == 140 ? "Read +│ +Filtered +│ +Written +│ +Skipped +│ +Rejected +│ +Rate" : "read 1,234, filtered 34, written 1,100, skipped 0, rejected 100", Cli.Unwrapped(text));
        Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd().Length <= width, l));
    }

    [Fact]
    public async Task LiveProgress_LinesWrittenMeanwhile_AppearAboveTheTable()
    {
        using var screen = new StringWriter();
        var terminal = new TerminalWriter(screen);
        var console = LiveProgress.CreateConsole(screen, noColor: true);

        await using (var live = new LiveProgress(console, TimeProvider.System, clearAtEnd: false, terminal))
        {
            await Task.Delay(300);
            terminal.WriteLine("2026-11-27T08:00:00.000Z warn a log line");
            await Task.Delay(300);
        }

        terminal.WriteLine("after the table");
        var text = screen.ToString();
        Assert.Contains("a log line", text, StringComparison.Ordinal);
        Assert.EndsWith("after the table" + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.True(text.LastIndexOf("a log line", StringComparison.Ordinal) < text.LastIndexOf("starting...", StringComparison.Ordinal), "the display is drawn again below the line");
    }

    [Fact]
    public void Describe_TargetSlowerThanSource_RateIsTheWriteRateAndTimeLeftFollowsTheTarget()
    {
        var progress = new ProgressSnapshot(new OperationCounts(500, 0, 400, 0, 0), TimeSpan.FromSeconds(5), 0.5, "rate limit");

        var line = ProgressReporter.Describe(progress);

        Assert.Equal("read 500 | filtered 0 | written 400 | skipped 0 | rejected 0 | 80 rec/s | 5.00s elapsed | 40% | about 7.50s left | waiting: rate limit", line);
    }

    /// <summary>A console of the given width over a string, without colours or cursor moves.</summary>
    private static IAnsiConsole TestConsole(int width, out StringWriter writer)
    {
        writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Generated records into a target that waits on every batch, saying why, as a throttled API would.</summary>
    private sealed class ThrottledConnector : IConnector
    {
        public const string Reason = "throttled by the API (429), retry 1/5 in 0.10s";

        private readonly MemoryConnector _memory = new();

        public ConnectorDescriptor Descriptor { get; } = new(
            "throttled",
            "Generated records into a throttled target, for tests.",
            [],
            [
                new ActivitySpec(ActivityKind.Query, "Generate records.", [new ParameterSpec("generate", ParameterType.Integer, "How many.")]),
                new ActivitySpec(ActivityKind.Create, "Accept each batch after a wait.", []),
            ]);

        public ISource CreateSource(ActivityContext context) => _memory.CreateSource(context);

        public ISink CreateSink(ActivityContext context) => new Sink();

        public Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(ConnectionTestResult.Ok("ok"));

        private sealed class Sink : ISink
        {
            public async ValueTask<WriteResult> WriteAsync(IReadOnlyList<Connectors.Record> batch, ISinkContext context, CancellationToken cancellationToken)
            {
                context.ReportWaiting(Reason);
                await Task.Delay(100, cancellationToken);
                context.ReportWaiting(null);
                return WriteResult.AllWritten(batch.Count);
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
