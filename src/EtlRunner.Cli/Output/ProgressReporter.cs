using EtlRunner.Connectors;
using EtlRunner.Execution;
using EtlRunner.Planning;

namespace EtlRunner.Cli.Output;

/// <summary>
/// Reports a run's progress as plain lines on stderr, for CI, cron and pipes: when each operation starts, at a
/// steady interval while it runs (the records of <see cref="CountColumns"/>, rate, elapsed, percentage and time
/// left when the source knows its size, and what it is waiting for), and when it ends. Every line starts with the
/// operation's name.
/// </summary>
internal sealed class ProgressReporter : IProgressDisplay
{
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private (OperationPlan Plan, OperationStats Stats, long Started)? _current;

    private readonly bool _dryRun;

    /// <param name="dryRun">A dry run writes nothing: its lines say "would write", never "written".</param>
    public ProgressReporter(TextWriter output, TimeProvider time, TimeSpan interval, bool dryRun = false)
    {
        _output = output;
        _time = time;
        _dryRun = dryRun;
        _loop = LoopAsync(interval);
    }

    public void OperationStarted(OperationPlan plan, OperationStats stats, string? chainedFrom)
    {
        lock (_gate)
        {
            _current = (plan, stats, _time.GetTimestamp());
            var chain = chainedFrom is null ? string.Empty : $" (after {chainedFrom})";
            Write($"{plan.Name}: started{chain}: {plan.Source.Describe()} -> {plan.Target.Describe()}");
        }
    }

    public void OperationFinished(OperationResult result)
    {
        lock (_gate)
        {
            _current = null;
            Write($"{result.Name}: {PipelineRunner.StatusName(result.Status)} in {DurationText.Format(result.Duration)}: {string.Join(", ", CountColumns.Words(result.Counts, _dryRun))}");
        }
    }

    public static string Describe(OperationStats stats, TimeSpan elapsed, bool dryRun = false) => Describe(ProgressSnapshot.Of(stats, elapsed), dryRun);

    public static string Describe(ProgressSnapshot progress, bool dryRun = false)
    {
        var line = $"{string.Join(" | ", CountColumns.Words(progress.Counts, dryRun))} | {N((long)progress.RecordsPerSecond)} rec/s | {DurationText.Format(progress.Elapsed)} elapsed";
        if (progress.Fraction is { } fraction)
        {
            line += $" | {fraction * 100:0}%";
            line += progress.Remaining is { } left ? $" | about {DurationText.Format(left)} left" : string.Empty;
        }

        if (progress.Waiting is { } waiting)
        {
            line += $" | waiting: {waiting}";
        }

        return line;
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (_current is { } current)
                    {
                        Write($"{current.Plan.Name}: {Describe(current.Stats, _time.GetElapsedTime(current.Started), _dryRun)}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private void Write(string line)
    {
        _output.WriteLine(line);
        _output.Flush();
    }

    private static string N(long value) => SummaryRenderer.N(value);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
