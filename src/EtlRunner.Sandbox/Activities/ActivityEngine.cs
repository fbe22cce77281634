using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Activities;

/// <summary>
/// Runs bulk activities on the sandbox clock: initialized until a third of <c>duration</c>, processing until
/// <c>duration</c>, then completed. Data changes are applied at completion, stamped with the due time, the first
/// time the state is accessed after it (so reads are always consistent with the reported state).
/// </summary>
internal sealed class ActivityEngine
{
    public const int MaxQueued = 1000;

    private readonly SandboxState _state;
    private readonly TimeSpan _duration;
    private readonly List<ActivityRecord> _pending;

    public ActivityEngine(SandboxState state, TimeSpan duration)
    {
        _state = state;
        _duration = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        _pending = [.. state.Activities.Where(a => !a.IsCompleted)];
        state.BeforeAccess = Advance;
    }

    public bool QueueFull => _pending.Count >= MaxQueued;

    /// <summary>Queues an activity; call under the state lock.</summary>
    public ActivityRecord Submit(string kind, string payload, int itemsTotal, int listCount = 0)
    {
        var now = _state.PreciseNow;
        var activity = new ActivityRecord
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            CreatedAt = now,
            StartAt = now + (_duration / 3),
            DueAt = now + _duration,
            Payload = payload,
            ItemsTotal = itemsTotal,
            PersonCount = kind == ActivityRecord.JsonImport ? itemsTotal : 0,
            ListCount = listCount,
        };
        _state.AddActivity(activity);
        _pending.Add(activity);
        return activity;
    }

    private void Advance()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var now = _state.PreciseNow;
        foreach (var activity in _pending.Where(a => a.DueAt <= now).ToList())
        {
            Complete(activity);
            _pending.Remove(activity);
        }
    }

    private void Complete(ActivityRecord activity)
    {
        var at = activity.DueAt;
        var stamp = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        switch (activity.Kind)
        {
            case ActivityRecord.JsonImport:
                JsonImportRunner.Run(_state, activity, stamp);
                break;
            case ActivityRecord.ContactDelete:
                ContactDeleteRunner.Run(_state, activity, stamp);
                break;
            case ActivityRecord.ListDelete:
                ContactDeleteRunner.RunListDelete(_state, activity, stamp);
                break;
            case ActivityRecord.TagDelete:
                MembershipRunner.RunTagDelete(_state, activity, stamp);
                break;
            case ActivityRecord.AddListMemberships or ActivityRecord.RemoveListMemberships
                or ActivityRecord.AddTaggings or ActivityRecord.RemoveTaggings:
                MembershipRunner.Run(_state, activity, stamp);
                break;
            default:
                break;
        }

        activity.CompletedAt = at;
        activity.ItemsCompleted = activity.ItemsTotal;
        activity.Payload = "{}";
        _state.MarkDirty(activity);
    }
}
