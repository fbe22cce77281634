using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;
using EtlRunner.State;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Execution;

/// <summary>
/// Runs a pipeline: validates it, then runs each root operation (or the one asked for) and follows its chain
/// through on_success / on_failure, passing global variables set by <c>set:</c> downstream.
/// </summary>
public sealed partial class PipelineRunner(ConnectorRegistry registry)
{
    /// <summary>Compiles and runs; throws <see cref="PipelineDefinitionException"/> when the pipeline is invalid.</summary>
    public async Task<RunReport> RunAsync(PipelineDefinition pipeline, RunOptions options, CancellationToken cancellationToken = default)
    {
        var compiled = new PipelineCompiler(registry).Compile(pipeline, options.Variables, options.Masker, CompileMode.Run);
        if (!compiled.IsValid)
        {
            throw new PipelineDefinitionException(compiled.Diagnostics);
        }

        if (options.Replay is { } replay)
        {
            options = options with { Operation = replay.Operation };
        }

        if (options.Operation is { } only && pipeline.FindOperation(only) is null)
        {
            throw new PipelineDefinitionException([new Diagnostic(new SourceLocation(pipeline.FilePath, 0, 0),
                PlanErrors.NoSuchOperation("--operation", only, pipeline.Operations.Select(o => o.Name.Value)))]);
        }

        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        var results = new List<OperationResult>();
        await using (var resources = new RunResources())
        {
            var pipelineKey = options.PipelineKey ?? State.CanonicalPath.Of(pipeline.FilePath);
            var stateDirectory = StateLayout.For(pipeline.BaseDirectory, options.StateDirectory, sandbox: false).Folder;
            var provisionalId = options.RunId ?? NewRunId(time.GetUtcNow());
            using var runLock = options.State is null || options.State.LocksRuns ? null : RunLock.Acquire(stateDirectory, pipelineKey, provisionalId, time);
            var resumable = options.State is not null && !options.DryRun && options.Replay is null;
            var (interrupted, abandoned) = resumable ? FindInterrupted(pipeline, pipelineKey, options, provisionalId) : (null, null);
            var runId = interrupted?.RunId ?? provisionalId;
            if (interrupted is not null)
            {
                runLock?.HeldBy(runId);
            }

            var runStart = interrupted?.Start ?? time.GetUtcNow();
            var system = compiled.System with { RunId = runId, RunStartTime = runStart, TimeProvider = time, Schedule = interrupted?.Schedule ?? options.Schedule };
            var resumed = interrupted is null ? null : new ResumedRun(interrupted.RunId, interrupted.InterruptedAt, interrupted.Operation, interrupted.BetweenOperations);
            using var locks = options.LockDirectory is { } lockFolder && !options.DryRun ? new ResourceLocks(lockFolder, runId, pipelineKey, time) : null;
            using var previews = options.PreviewFile is { } previewPath && options.DryRun ? new PreviewFile(previewPath, options.Masker) : null;
            var run = new RunContext(pipeline, options, runId, resources)
            {
                Locks = locks,
                Previews = previews,
                // Only evidence of an earlier run (its lock file) with no history of it means a lost ledger: a
                // first run pays nothing for the check.
                LedgerMissing = resumable && runLock?.RanBefore == true && !options.State!.HasHistory(pipelineKey),
                Finished = new Queue<OperationEntry>(interrupted?.Finished ?? []),
            };
            var fields = new List<Diagnostic>();
            foreach (var plan in compiled.Plans)
            {
                fields.AddRange(await SourceShapes.CheckAsync(plan, run, cancellationToken).ConfigureAwait(false));
            }

            if (fields.Count > 0)
            {
                throw new PipelineDefinitionException(fields); // before anything is written
            }

            if (resumed is not null)
            {
                options.LoggerFactory.CreateLogger("EtlRunner.Run").LogWarning("{Resuming}", resumed.Describe());
            }

            options.State?.RunStarted(new RunEntry(runId, run.PipelineKey, pipeline.Project.Value, system.EnvironmentName, runStart)
            {
                Selection = options.Operation,
                Resumable = resumable,
                Schedule = system.Schedule,
            });
            var roots = options.Operation is { } name ? [pipeline.FindOperation(name)!] : pipeline.RootOperations();
            var cutShort = false; // cancelled with operations left that never started
            try
            {
                for (var i = 0; i < roots.Count; i++)
                {
                    cutShort = await RunChainAsync(compiled, roots[i], run, system, results, cancellationToken).ConfigureAwait(false);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        cutShort |= i < roots.Count - 1;
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is RunLockedException or ResumeRefusedException)
            {
                options.State?.RunFinished(runId, "refused", time.GetUtcNow());
                throw;
            }

            var report = new RunReport(runId, pipeline.Project.Value, system.EnvironmentName, runStart, time.GetElapsedTime(started), results)
            {
                DryRun = options.DryRun,
                Resumed = resumed,
                Abandoned = abandoned,
                CutShort = cutShort,
            };
            options.State?.RunFinished(runId, report.Cancelled ? "cancelled" : report.Failed ? "error" : "success", time.GetUtcNow());
            return report;
        }
    }

    /// <summary>Runs a chain from <paramref name="first"/>; true when cancellation stopped it before an operation it would have run.</summary>
    private async Task<bool> RunChainAsync(
        CompiledPipeline compiled,
        OperationDefinition first,
        RunContext run,
        SystemVariables system,
        List<OperationResult> results,
        CancellationToken cancellationToken)
    {
        var globals = new Dictionary<string, object?>(StringComparer.Ordinal);
        OperationResult? previous = null;
        var operation = first;
        while (operation is not null && !cancellationToken.IsCancellationRequested)
        {
            var finished = TakeFinished(run, operation);
            var plan = compiled.PlanOf(operation) with { Watermark = Watermark(operation, run) };
            var operationSystem = system with
            {
                OperationName = operation.Name.Value,
                OperationStartTime = finished?.Start ?? run.Options.TimeProvider.GetUtcNow(),
                Previous = previous is null ? null : new PreviousOperation(previous.Name, StatusName(previous.Status), previous.Error, previous.Counts.Written),
                Watermark = plan.Watermark,
            };
            var scope = compiled.Scope(operationSystem, globals);
            OperationResult result;
            if (finished is not null)
            {
                result = Resumed(finished, previous?.Name);
                var (values, withheld) = ChainGlobals.Decode(finished.Globals);
                var recomputed = withheld.Count == 0 ? [] : Recompute(plan, scope, withheld, run);
                foreach (var (name, value) in values.Concat(recomputed))
                {
                    globals[name] = value;
                }
            }
            else
            {
                run.Options.State?.OperationStarted(run.RunId, operation.Name.Value, operationSystem.OperationStartTime!.Value);
                result = await RunOperationAsync(compiled.Definition, plan, run, scope, previous?.Name, cancellationToken).ConfigureAwait(false);
                var completed = result.Status == OperationStatus.Succeeded && !result.DryRun;
                List<KeyValuePair<string, object?>> set = [];
                if (Succeeded(result.Status) && plan.Set.Count > 0)
                {
                    try
                    {
                        set = EvaluateSet(plan.Set, scope);
                        set.ForEach(entry => globals[entry.Key] = entry.Value);
                    }
                    catch (ScriptEvaluationException ex)
                    {
                        result = result with { Status = OperationStatus.Failed, Error = run.Masker.Apply("set: " + ex.Message) };
                    }
                }

                Record(run, result, operationSystem, ChainGlobals.Encode(set, run.Masker), completed);
                CrashPoint.Reached("after-operation");
            }

            results.Add(result);
            if (result.Status == OperationStatus.Cancelled)
            {
                return false;
            }

            previous = result;
            var next = run.Options.Replay is not null ? null : Succeeded(result.Status) ? operation.OnSuccess : operation.OnFailure;
            operation = next is null ? null : compiled.Definition.FindOperation(next.Value);
        }

        return operation is not null;
    }

    /// <summary>The watermark an incremental source starts from: the last successful run's mark, else its start; none with --full.</summary>
    private static string? Watermark(OperationDefinition operation, RunContext run)
    {
        if (operation.Source?.Incremental is not { } incremental)
        {
            return null;
        }

        var stored = run.Options.Full ? null : run.Options.State?.GetWatermark(run.PipelineKey, operation.Name.Value);
        return stored ?? incremental.Start;
    }

    /// <summary>Records the operation's end, its globals, its watermark and (when it finished its job) the clearing of its ledger, in one transaction.</summary>
    private static void Record(RunContext run, OperationResult result, SystemVariables system, string? globals, bool completed)
    {
        var state = run.Options.State;
        if (state is null)
        {
            return;
        }

        var c = result.Counts;
        var mark = result.Status == OperationStatus.Succeeded && !result.DryRun ? result.HighWaterMark : null;
        state.OperationFinished(
            new OperationEntry(
                run.RunId, run.PipelineKey, system.ProjectName, system.EnvironmentName, result.Name, result.StartTime, result.StartTime + result.Duration,
                StatusName(result.Status), c.Read, c.Filtered, c.Written, c.Skipped, c.Rejected, result.Error, result.RejectsFile)
            {
                Created = c.Kinds?.Created,
                Updated = c.Kinds?.Updated,
                Deleted = c.Kinds?.Deleted,
                Unchanged = c.Kinds?.Unchanged,
            },
            new OperationCompletion(globals, mark, ClearLedger: completed));
    }

    private async Task<OperationResult> RunOperationAsync(PipelineDefinition pipeline, OperationPlan planned, RunContext run, VariableScope scope, string? chainedFrom, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var plan = new OperationPlanner(pipeline, registry, run.Masker).BindAtStart(planned, scope, diagnostics);
        OperationResult Ended(OperationStatus status, string? error, IReadOnlyList<string> warnings)
        {
            var ended = new OperationResult(planned.Name, status, new OperationCounts(0, 0, 0, 0, 0), run.Options.TimeProvider.GetUtcNow(), TimeSpan.Zero, error, null)
            {
                ChainedFrom = chainedFrom,
                DryRun = run.Options.DryRun,
                Source = plan?.Source.Describe(),
                Target = plan?.Target.Describe(),
                Warnings = warnings,
            };
            run.Options.Observer.OperationFinished(ended);
            return ended;
        }

        OperationResult Failed(IEnumerable<Diagnostic> problems) =>
            Ended(OperationStatus.Failed, run.Masker.Apply(string.Join("; ", problems.Select(d => d.ToString()))), []);

        if (plan is null || diagnostics.HasErrors)
        {
            return Failed(diagnostics.Items);
        }

        var writes = plan.Target.Connector.WriteResource(plan.Target.Kind, plan.Target.ConnectionSettings, plan.Target.ActivitySettings);
        if (run.Options.DryRun && run.Options.Replay is null
            && plan.Source.Connector.ReadResource(plan.Source.ConnectionSettings, plan.Source.ActivitySettings) is { } reads && run.DryRunWrites.Contains(reads))
        {
            var reason = $"not previewed: reads {plan.Source.Connection.Name.Value}, which this dry run did not write";
            var logger = run.Options.LoggerFactory.CreateLogger("EtlRunner.Operation");
            using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.RunId, ["Operation"] = planned.Name }))
            {
                logger.LogInformation("Operation {Operation} {Reason}", planned.Name, reason);
            }

            WouldWrite(run, writes); // nor does it write its own target
            return Ended(OperationStatus.NotPreviewed, null, [reason]);
        }

        // A source an upstream operation wrote may only now say its fields.
        var problems = await SourceShapes.CheckAsync(plan, run, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            return Failed(problems);
        }

        if (run.Locks is { } locks && writes is not null)
        {
            locks.Hold(writes); // before the first write; held until the run ends
        }

        WouldWrite(run, writes);
        return await new OperationRunner(plan, run, scope).RunAsync(chainedFrom, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>In a dry run, remembers what the target would have written: a later source reading it is not previewed.</summary>
    private static void WouldWrite(RunContext run, string? writes)
    {
        if (run.Options.DryRun && writes is not null)
        {
            run.DryRunWrites.Add(writes);
        }
    }

    /// <summary>A not-previewed operation's chain goes on as a success's would.</summary>
    private static bool Succeeded(OperationStatus status) => status is OperationStatus.Succeeded or OperationStatus.NotPreviewed;

    /// <summary>Evaluates an operation's parsed <c>set:</c> entries (only <paramref name="names"/>, when given).</summary>
    internal static List<KeyValuePair<string, object?>> EvaluateSet(IReadOnlyList<KeyValuePair<string, ScriptTemplate>> set, VariableScope scope, IReadOnlyList<string>? names = null)
    {
        var runtime = new ScriptRuntime(scope);
        return [.. set
            .Where(e => names is null || names.Contains(e.Key, StringComparer.Ordinal))
            .Select(e => KeyValuePair.Create(e.Key, runtime.Evaluate(e.Value, null)))];
    }

    public static string StatusName(OperationStatus status) => status switch
    {
        OperationStatus.Succeeded => "success",
        OperationStatus.Failed => "error",
        OperationStatus.Cancelled => "cancelled",
        OperationStatus.NotPreviewed => "not_previewed",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string NewRunId(DateTimeOffset start) =>
        start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.CreateVersion7(start).ToString("N")[^6..];
}
