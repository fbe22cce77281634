using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Planning;

namespace EtlRunner.Execution;

/// <summary>
/// The fields a source's records will have, found before the first record (a CSV header, a prepared statement,
/// an API's contract), and the check of an operation's expressions against them: once per operation, never per record.
/// </summary>
internal static class SourceShapes
{
    /// <summary>The source's fields, or null with the reason they cannot be known yet (a file an upstream operation writes).</summary>
    public static async Task<(RecordShape? Shape, string? Unknown)> DiscoverAsync(OperationPlan plan, RunContext run, CancellationToken cancellationToken)
    {
        try
        {
            var shape = await plan.Source.Connector.DiscoverRecordsAsync(run.ActivityContext(plan, plan.Source), cancellationToken).ConfigureAwait(false);
            return (shape, shape is null ? $"{plan.Source.Connector.Descriptor.Type} does not say its fields before reading" : null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, run.Masker.Apply(ex.Message));
        }
    }

    /// <summary>Every record field the operation's expressions read that its source's records do not have.</summary>
    public static async Task<IReadOnlyList<Diagnostic>> CheckAsync(OperationPlan plan, RunContext run, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        if (run.Options.Replay is null && (await DiscoverAsync(plan, run, cancellationToken).ConfigureAwait(false)).Shape is { } shape)
        {
            FieldCheck.Check(plan.Definition, plan.Transform, plan.Target, shape, diagnostics);
        }

        return diagnostics.Items;
    }
}
