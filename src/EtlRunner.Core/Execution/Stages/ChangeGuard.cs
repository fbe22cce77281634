using EtlRunner.Connectors;
using EtlRunner.Planning;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// The max_deletes / max_updates guard of the write stage: checked before a batch goes to the target, never after. A
/// percentage is a share of the target's size when the operation started, asked of the target once, before the first write.
/// </summary>
internal sealed class ChangeGuard(OperationPlan plan, ISink? sink, OperationStats stats)
{
    /// <summary>Why a batch is not sent: the guard's limit, or the target failing to say its size (with its exception).</summary>
    public sealed record Refusal(StopCause Cause, string Reason, Exception? Exception = null);

    private long? _targetSize; // asked of the target once, for a percentage
    private long _sent;

    /// <summary>Why a batch of <paramref name="count"/> records must not be sent, or null, when it is counted as sent.</summary>
    public async Task<Refusal?> RefusesAsync(int count, CancellationToken cancellationToken)
    {
        var refusal = await RefusalAsync(count, cancellationToken).ConfigureAwait(false);
        if (refusal is null)
        {
            _sent += count;
        }

        return refusal;
    }

    private async Task<Refusal?> RefusalAsync(int count, CancellationToken cancellationToken)
    {
        var kind = plan.Target.Kind;
        var (limit, name, verb) = kind == ActivityKind.Delete ? (plan.Options.MaxDeletes, "max_deletes", "delete")
            : kind == ActivityKind.Update ? (plan.Options.MaxUpdates, "max_updates", "update")
            : (null, string.Empty, string.Empty);
        if (limit is null || sink is null)
        {
            return null;
        }

        var target = plan.Target.Connection.Name.Value;
        if (limit.Percent is not null && _targetSize is null)
        {
            try
            {
                _targetSize = await sink.CountAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new Refusal(StopCause.ConnectorFailure, $"{name} ({limit}) needs the size of {target}, and counting it failed: {ex.Message}", ex);
            }

            if (_targetSize is null)
            {
                return new Refusal(StopCause.ChangeLimit, $"{name} ({limit}) is a share of the target's size, which a {plan.Target.Connector.Descriptor.Type} target cannot tell; give {name} as a count instead");
            }
        }

        var allowed = limit.Allowed(_targetSize ?? 0);
        var of = limit.Percent is null ? $"{stats.Read} read" : $"the {_targetSize} in {target} when the operation started";
        return _sent + count <= allowed
            ? null
            : new Refusal(StopCause.ChangeLimit, $"{name} ({limit}) reached: this operation would {verb} more than {allowed} record(s) of {of}; nothing past the limit was sent. If that is intended, raise options.{name}");
    }
}
