using System.Runtime.CompilerServices;
using EtlRunner.Connectors;
using EtlRunner.Expressions;
using EtlRunner.Planning;

namespace EtlRunner.Execution;

/// <summary>What the transform made of one record: the record for the target; or none, with the reject reason, or without one when <c>where</c> filtered it.</summary>
internal readonly record struct TransformResult(Record? Output, string? RejectReason);

/// <summary>
/// The transform of an operation for one worker: <c>where</c> filters, <c>map</c> reshapes. The run's transform
/// stage and the pipeline unit tests both go through it, so a test checks exactly what a run does. Not thread-safe.
/// </summary>
internal sealed class RecordTransform
{
    private readonly TransformPlan _plan;
    private readonly ScriptRuntime? _runtime;
    private readonly RecordSchema? _mapped;

    public RecordTransform(TransformPlan plan, VariableScope scope)
    {
        _plan = plan;
        _runtime = plan.IsEmpty ? null : new ScriptRuntime(scope);
        _mapped = plan.Map is { } map
            ? new RecordSchema(map.Select(m => m.Key)) { Varying = map.Where(m => m.Value.VariesBetweenRuns).Select(m => m.Key).ToHashSet(StringComparer.Ordinal) }
            : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TransformResult Apply(Record record)
    {
        if (_runtime is null)
        {
            return new TransformResult(record, null);
        }

        try
        {
            if (_plan.Where is { } where && !_runtime.IsTrue(where, record))
            {
                return default;
            }

            if (_mapped is null)
            {
                return new TransformResult(record, null);
            }

            var map = _plan.Map!;
            var values = new object?[map.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = _runtime.Evaluate(map[i].Value, record);
            }

            return new TransformResult(record.Remap(_mapped, values), null);
        }
        catch (ScriptEvaluationException ex)
        {
            return new TransformResult(null, "transform failed: " + ex.Message);
        }
    }
}
