namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>
/// Accounts for every record of a batch exactly once: created, updated, deleted, written (of a kind the API does not
/// tell), skipped (unchanged, or by choice) or rejected (with the stop reason when the operation stops). A preview's
/// builder also keeps what each record would get (<see cref="WriteResult.Previews"/>); one that
/// <paramref name="reportEach"/> tells the engine of each record as it is done.
/// </summary>
internal sealed class WriteResultBuilder(IReadOnlyList<Record> batch, ISinkContext? context = null, bool preview = false, bool reportEach = false)
{
    private readonly bool[] _done = new bool[batch.Count];
    private readonly RecordPreview?[] _previews = new RecordPreview?[preview ? batch.Count : 0];
    private readonly List<RejectedRecord> _rejected = [];
    private int _created;
    private int _updated;
    private int _deleted;
    private int _unknownKind;
    private int _unchanged;
    private int _skipped;

    public string? StopReason { get; private set; }

    public IReadOnlyList<Record> Batch => batch;

    /// <summary>True once any record of the batch is accounted for.</summary>
    public bool AnyDone => _created + _updated + _deleted + _unknownKind + _skipped + _rejected.Count > 0;

    /// <summary>
    /// True when the write ledger says an earlier, interrupted run sent this record without seeing the answer
    /// (<see cref="ISinkContext.MayHaveBeenWritten"/>): check whether it took effect before writing it again.
    /// </summary>
    public bool MayHaveBeenWritten(int index) => context?.MayHaveBeenWritten(batch[index]) ?? false;

    /// <summary>
    /// Before sending the next record: when the engine says to stop (max_rejects passed, counting this batch's
    /// rejects so far), rejects every record not yet accounted for with that reason and returns true.
    /// </summary>
    public bool StopIfAsked()
    {
        if (context?.StopSending(_rejected.Count) is not { } reason)
        {
            return false;
        }

        Stop("not sent: " + reason, "stopped");
        return true;
    }

    public void Created(int index)
    {
        if (Mark(index, RecordAction.Create))
        {
            _created++;
        }
    }

    /// <summary>Updated; <paramref name="changed"/> names the fields whose value changed, when known.</summary>
    public void Updated(int index, IReadOnlyList<string>? changed = null)
    {
        if (Mark(index, RecordAction.Update, changed: changed))
        {
            _updated++;
        }
    }

    public void Deleted(int index)
    {
        if (Mark(index, RecordAction.Delete))
        {
            _deleted++;
        }
    }

    /// <summary>Written, but the API does not say whether it created or updated the contact (a bulk import): the batch's kinds are unknown.</summary>
    public void Written(int index)
    {
        if (Mark(index, RecordAction.Update))
        {
            _unknownKind++;
        }
    }

    /// <summary>Skipped because the contact already holds the record (nothing to send).</summary>
    public void Unchanged(int index, string reason = "the contact already holds these values")
    {
        if (Mark(index, RecordAction.Skip, reason))
        {
            _skipped++;
            _unchanged++;
        }
    }

    /// <summary>Skipped by choice (<c>on_conflict: skip</c>) or because there is nothing to do (already deleted).</summary>
    public void Skipped(int index, string reason)
    {
        if (Mark(index, RecordAction.Skip, reason))
        {
            _skipped++;
        }
    }

    public void Reject(int index, string reason, string? code = null)
    {
        if (Mark(index, RecordAction.Reject, reason))
        {
            _rejected.Add(new RejectedRecord(batch[index], reason) { Code = code });
        }
    }

    /// <summary>Stops the operation: every record not yet accounted for is rejected with <paramref name="reason"/>.</summary>
    public void Stop(string reason, string code)
    {
        StopReason ??= reason;
        for (var i = 0; i < batch.Count; i++)
        {
            Reject(i, reason, code);
        }
    }

    public WriteResult Build()
    {
        for (var i = 0; i < batch.Count; i++)
        {
            Reject(i, "not processed (internal error: the connector lost track of this record)", "not_processed");
        }

        return new WriteResult(_created + _updated + _deleted + _unknownKind, _skipped, _rejected, StopReason)
        {
            Kinds = _unknownKind > 0 ? null : new WriteKinds(_created, _updated, _deleted, _unchanged),
            Previews = preview ? [.. _previews.Select(p => p!)] : null,
        };
    }

    private bool Mark(int index, RecordAction action, string? reason = null, IReadOnlyList<string>? changed = null)
    {
        if (_done[index])
        {
            return false;
        }

        _done[index] = true;
        if (preview)
        {
            var (id, email) = ContactFields.Identify(batch[index]);
            _previews[index] = new RecordPreview(batch[index], action) { Key = email ?? id, ChangedFields = changed, Reason = reason };
        }

        if (reportEach)
        {
            context?.ReportDone(1);
        }

        return true;
    }
}
