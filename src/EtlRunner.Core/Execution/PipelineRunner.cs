using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.State;
using EtlRunner.Validation;

namespace EtlRunner.Execution;

/// <summary>
/// Runs a pipeline: validates it, then runs each root operation (or the one asked for) and follows its chain
/// through on_success / on_failure, passing global variables set by <c>set:</c> downstream.
/// </summary>
public sealed class PipelineRunner(ConnectorRegistry registry)
{
    /// <summary>Validates and runs; throws <see cref="PipelineDefinitionException"/> when the pipeline is invalid.</summary>
    public async Task<RunReport> RunAsync(PipelineDefinition pipeline, RunOptions options, CancellationToken cancellationToken = default)
    {
        var validation = new PipelineValidator(registry).Validate(pipeline, options.Variables, options.Masker);
        if (validation.Diagnostics.Count > 0)
        {
            throw new PipelineDefinitionException(validation.Diagnostics);
        }

        if (options.Replay is { } replay)
        {
            options = options with { Operation = replay.Operation };
        }

        if (options.Operation is { } only && pipeline.FindOperation(only) is null)
        {
            throw new PipelineDefinitionException([new Diagnostic(new SourceLocation(pipeline.FilePath, 0, 0),
                $"--operation '{only}': no such operation{Loading.Suggestions.DidYouMean(only, pipeline.Operations.Select(o => o.Name.Value))}")]);
        }

        var time = options.TimeProvider;
        var runStart = time.GetUtcNow();
        var started = time.GetTimestamp();
        var runId = options.RunId ?? NewRunId(runStart);
        var system = new SystemVariables
        {
            ProjectName = pipeline.Project.Value,
            EnvironmentName = options.Variables.Environment ?? "default",
            RunId = runId,
            RunStartTime = runStart,
            TimeProvider = time,
        };

        var results = new List<OperationResult>();
        await using (var resources = new RunResources())
        {
            var run = new RunContext(pipeline, options, runId, resources);
            using var runLock = options.State is null ? null : RunLock.Acquire(run.StateDirectory, pipeline.FilePath, runId, time);
            options.State?.RunStarted(new RunEntry(runId, run.PipelineKey, pipeline.Project.Value, system.EnvironmentName, runStart));
            var roots = options.Operation is { } name ? [pipeline.FindOperation(name)!] : pipeline.RootOperations();
            foreach (var root in roots)
            {
                await RunChainAsync(pipeline, root, run, validation.Variables, system, results, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            var report = new RunReport(runId, pipeline.Project.Value, system.EnvironmentName, runStart, time.GetElapsedTime(started), results) { DryRun = options.DryRun };
            options.State?.RunFinished(runId, report.Cancelled ? "cancelled" : report.Failed ? "error" : "success", time.GetUtcNow());
            return report;
        }
    }

    private async Task RunChainAsync(
        PipelineDefinition pipeline,
        OperationDefinition first,
        RunContext run,
        ProjectVariables project,
        SystemVariables system,
        List<OperationResult> results,
        CancellationToken cancellationToken)
    {
        var globals = new Dictionary<string, object?>(StringComparer.Ordinal);
        OperationResult? previous = null;
        for (var operation = first; operation is not null && !cancellationToken.IsCancellationRequested;)
        {
            run.Watermark = Watermark(operation, run);
            var operationSystem = system with
            {
                OperationName = operation.Name.Value,
                OperationStartTime = run.Options.TimeProvider.GetUtcNow(),
                Previous = previous is null ? null : new PreviousOperation(previous.Name, StatusName(previous.Status), previous.Error, previous.Counts.Written),
                Watermark = run.Watermark,
            };
            var scope = new VariableScope(new Dictionary<string, object?>(globals), project, operationSystem);
            var result = await RunOperationAsync(pipeline, operation, run, scope, previous?.Name, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            Record(run, result, operationSystem);
            if (result.Status == OperationStatus.Cancelled)
            {
                return;
            }

            if (result.Status == OperationStatus.Succeeded && operation.Set.Count > 0)
            {
                try
                {
                    foreach (var (name, value) in EvaluateSet(operation, scope))
                    {
                        globals[name] = value;
                    }
                }
                catch (ScriptEvaluationException ex)
                {
                    result = result with { Status = OperationStatus.Failed, Error = run.Masker.Apply("set: " + ex.Message) };
                    results[^1] = result;
                }
            }

            previous = result;
            var next = run.Options.Replay is not null ? null : result.Status == OperationStatus.Succeeded ? operation.OnSuccess : operation.OnFailure;
            operation = next is null ? null : pipeline.FindOperation(next.Value);
        }
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

    private static void Record(RunContext run, OperationResult result, SystemVariables system)
    {
        var state = run.Options.State;
        if (state is null)
        {
            return;
        }

        var c = result.Counts;
        state.OperationFinished(new OperationEntry(
            run.RunId, run.PipelineKey, system.ProjectName, system.EnvironmentName, result.Name, result.StartTime, result.StartTime + result.Duration,
            StatusName(result.Status), c.Read, c.Filtered, c.Written, c.Skipped, c.Rejected, result.Error, result.RejectsFile));
        if (result.Status == OperationStatus.Succeeded && !result.DryRun && result.HighWaterMark is { } mark)
        {
            state.SetWatermark(run.PipelineKey, result.Name, mark, run.RunId);
        }
    }

    private async Task<OperationResult> RunOperationAsync(PipelineDefinition pipeline, OperationDefinition operation, RunContext run, VariableScope scope, string? chainedFrom, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var plan = new OperationPlanner(pipeline, registry, run.Masker).Plan(operation, scope, diagnostics);
        if (plan is null || diagnostics.HasErrors)
        {
            var error = run.Masker.Apply(string.Join("; ", diagnostics.Items.Select(d => d.ToString())));
            var failed = new OperationResult(operation.Name.Value, OperationStatus.Failed, new OperationCounts(0, 0, 0, 0, 0), run.Options.TimeProvider.GetUtcNow(), TimeSpan.Zero, error, null)
            {
                ChainedFrom = chainedFrom,
                DryRun = run.Options.DryRun,
            };
            run.Options.Observer.OperationFinished(failed);
            return failed;
        }

        return await new OperationRunner(plan, run, scope).RunAsync(chainedFrom, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The globals an operation's <c>set:</c> produces once it succeeded (no record in scope).</summary>
    internal static List<KeyValuePair<string, object?>> EvaluateSet(OperationDefinition operation, VariableScope scope)
    {
        var runtime = new ScriptRuntime(scope);
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var entry in operation.Set)
        {
            var template = ScriptTemplate.ParseTemplate(entry.Template, new DiagnosticBag());
            values.Add(KeyValuePair.Create(entry.Name.Value, runtime.Evaluate(template, null)));
        }

        return values;
    }

    public static string StatusName(OperationStatus status) => status switch
    {
        OperationStatus.Succeeded => "success",
        OperationStatus.Failed => "error",
        OperationStatus.Cancelled => "cancelled",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string NewRunId(DateTimeOffset start) =>
        start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.CreateVersion7(start).ToString("N")[^6..];
}
