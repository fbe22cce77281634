using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
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
            var roots = options.Operation is { } name ? [pipeline.FindOperation(name)!] : pipeline.RootOperations();
            foreach (var root in roots)
            {
                await RunChainAsync(pipeline, root, run, validation.Variables, system, results, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        return new RunReport(runId, pipeline.Project.Value, system.EnvironmentName, runStart, time.GetElapsedTime(started), results) { DryRun = options.DryRun };
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
            var operationSystem = system with
            {
                OperationName = operation.Name.Value,
                OperationStartTime = run.Options.TimeProvider.GetUtcNow(),
                Previous = previous is null ? null : new PreviousOperation(previous.Name, StatusName(previous.Status), previous.Error, previous.Counts.Written),
            };
            var scope = new VariableScope(new Dictionary<string, object?>(globals), project, operationSystem);
            var result = await RunOperationAsync(pipeline, operation, run, scope, previous?.Name, cancellationToken).ConfigureAwait(false);
            results.Add(result);
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
            var next = result.Status == OperationStatus.Succeeded ? operation.OnSuccess : operation.OnFailure;
            operation = next is null ? null : pipeline.FindOperation(next.Value);
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

    private static List<KeyValuePair<string, object?>> EvaluateSet(OperationDefinition operation, VariableScope scope)
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
