using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;
using EtlRunner.State;

namespace EtlRunner.Execution;

/// <summary>Resuming an interrupted run: finding it (or abandoning it with --fresh), and replaying the steps it finished.</summary>
public sealed partial class PipelineRunner
{
    /// <summary>
    /// The interrupted run this one resumes, if any; with <see cref="RunOptions.Fresh"/>, that run is abandoned instead
    /// and its id returned. Refused when the run was limited to another <c>--operation</c>.
    /// </summary>
    private static (InterruptedRun? Interrupted, string? Abandoned) FindInterrupted(PipelineDefinition pipeline, string pipelineKey, RunOptions options, string newRunId)
    {
        var state = options.State!;
        if (state.FindInterrupted(pipelineKey) is not { } interrupted)
        {
            return (null, null);
        }

        if (options.Fresh)
        {
            var at = SystemVariables.Format(interrupted.InterruptedAt);
            state.AbandonRun(interrupted, $"interrupted at {at}; abandoned by `etl run --fresh` (run {newRunId})", options.TimeProvider.GetUtcNow());
            return (null, interrupted.RunId);
        }

        return interrupted.Selection == options.Operation
            ? (interrupted, null)
            : throw new ResumeRefusedException(
                $"run {interrupted.RunId} of {pipeline.FilePath} was interrupted{(interrupted.Selection is null ? string.Empty : $" (--operation {interrupted.Selection})")}; "
                + $"resume it with the same {(interrupted.Selection is null ? "command (without --operation)" : "--operation")}, or give it up with --fresh");
    }

    /// <summary>The recorded end of this step when the interrupted run this one resumes got past it; null once the chain reaches new ground.</summary>
    private static OperationEntry? TakeFinished(RunContext run, OperationDefinition operation)
    {
        if (!run.Finished.TryPeek(out var step))
        {
            return null;
        }

        return step.Operation == operation.Name.Value
            ? run.Finished.Dequeue()
            : throw new ResumeRefusedException(
                $"run {run.RunId} cannot be resumed: it ran '{step.Operation}' where the pipeline now runs '{operation.Name.Value}' (the file changed since). "
                + "Give it up with `etl run --fresh`");
    }

    /// <summary>The globals withheld from the state (they held a secret), computed again from their <c>set:</c> expressions.</summary>
    private static List<KeyValuePair<string, object?>> Recompute(OperationPlan plan, VariableScope scope, IReadOnlyList<string> names, RunContext run)
    {
        try
        {
            return EvaluateSet(plan.Set, scope, names);
        }
        catch (ScriptEvaluationException ex)
        {
            throw new ResumeRefusedException(run.Masker.Apply(
                $"run {run.RunId} cannot be resumed: the global(s) {string.Join(", ", names)} set by '{plan.Name}' hold a secret, which is never stored, "
                + $"and computing them again failed ({ex.Message}). Give the run up with `etl run --fresh`"));
        }
    }

    private static OperationResult Resumed(OperationEntry step, string? chainedFrom) => new(
        step.Operation,
        step.Status switch { "success" => OperationStatus.Succeeded, _ => OperationStatus.Failed },
        new OperationCounts(step.Read, step.Filtered, step.Written, step.Skipped, step.Rejected) { Kinds = step.Kinds },
        step.Start,
        step.End - step.Start,
        step.Error,
        step.RejectsFile)
    {
        ChainedFrom = chainedFrom,
        FromInterruptedRun = true,
    };
}
