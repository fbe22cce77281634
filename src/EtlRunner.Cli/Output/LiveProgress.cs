using EtlRunner.Execution;
using EtlRunner.Planning;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EtlRunner.Cli.Output;

/// <summary>
/// Live progress on a terminal: a display on stderr (<see cref="LiveProgressView"/>), redrawn ten times a second, with
/// each operation from the moment it starts (chained operations appear when their turn comes): counts, rate, elapsed
/// time, a bar with the time left when the source knows its size, and what the operation is waiting for. Lines others
/// write to stderr meanwhile (<see cref="TerminalWriter"/>) are printed above it.
/// </summary>
internal sealed class LiveProgress : IProgressDisplay
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);

    private readonly IAnsiConsole _console;
    private readonly TimeProvider _time;
    private readonly bool _clearAtEnd;
    private readonly TerminalWriter? _terminal;
    private readonly bool _dryRun;
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="console">Where the table is drawn (stderr).</param>
    /// <param name="time">The clock for elapsed times and refreshes.</param>
    /// <param name="clearAtEnd">Remove the table when the run ends (the summary that follows replaces it).</param>
    /// <param name="terminal">Stderr as others write to it: while the table shows, their lines are printed above it.</param>
    /// <param name="dryRun">A dry run: the counts say "would write", "would create", ...</param>
    public LiveProgress(IAnsiConsole console, TimeProvider time, bool clearAtEnd, TerminalWriter? terminal = null, bool dryRun = false)
    {
        _dryRun = dryRun;
        _console = console;
        _time = time;
        _clearAtEnd = clearAtEnd;
        _terminal = terminal;
        _loop = Task.Run(DisplayAsync);
    }

    /// <summary>A console over stderr that moves the cursor (the live table needs it) and paints only without NO_COLOR.</summary>
    public static IAnsiConsole CreateConsole(TextWriter error, bool noColor) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(error),
        Ansi = AnsiSupport.Yes,
        ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Yes,
    });

    public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom)
    {
        lock (_gate)
        {
            _entries.Add(new Entry(plan.Name, stats, _time.GetTimestamp()));
        }
    }

    public void OperationFinished(OperationResult result)
    {
        lock (_gate)
        {
            // An operation that could not even be planned ends without having started.
            var entry = _entries.FindLast(e => e.Name == result.Name && e.Result is null);
            if (entry is null)
            {
                entry = new Entry(result.Name, null, _time.GetTimestamp());
                _entries.Add(entry);
            }

            entry.Result = result;
        }
    }

    /// <summary>What the display shows right now.</summary>
    private IRenderable Render()
    {
        List<LiveProgressRow> rows;
        lock (_gate)
        {
            rows = _entries.ConvertAll(e => e.Row(_time));
        }

        return LiveProgressView.Build(rows, _console, _dryRun);
    }

    private async Task DisplayAsync()
    {
        try
        {
            await _console.Live(Render()).AutoClear(_clearAtEnd).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
            {
                using var lines = _terminal?.Hold(line => _console.Write(new PaddedLine(line)));
                using var timer = new PeriodicTimer(Refresh, _time);
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        context.UpdateTarget(Render());
                    }
                }
                catch (OperationCanceledException)
                {
                    // The run ended: draw the final state once more.
                }

                context.UpdateTarget(Render());
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // A display that cannot draw must not fail the run; the summary still follows on stdout.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// A line printed above the table. Padded to the full width: the table is redrawn from where it was, and the
    /// line must cover what was there.
    /// </summary>
    private sealed class PaddedLine(string text) : Renderable
    {
        protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            var lines = Segment.SplitLines(((IRenderable)new Text(text)).Render(options, maxWidth), maxWidth);
            foreach (var line in lines)
            {
                foreach (var segment in line)
                {
                    yield return segment;
                }

                yield return Segment.Padding(Math.Max(0, maxWidth - line.CellCount()));
                yield return Segment.LineBreak;
            }
        }
    }

    private sealed class Entry(string name, OperationStats? stats, long started)
    {
        public string Name => name;

        public OperationResult? Result { get; set; }

        public LiveProgressRow Row(TimeProvider time) => Result is { } result
            ? new LiveProgressRow(name, result.Status, ProgressSnapshot.Of(result))
            : new LiveProgressRow(name, null, ProgressSnapshot.Of(stats!, time.GetElapsedTime(started)));
    }
}
