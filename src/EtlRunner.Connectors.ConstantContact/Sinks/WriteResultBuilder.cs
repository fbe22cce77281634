namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>Accounts for every record of a batch exactly once: written, skipped or rejected (with the stop reason when the operation stops).</summary>
internal sealed class WriteResultBuilder(IReadOnlyList<Record> batch, ISinkContext? context = null)
{
    private readonly bool[] _done = new bool[batch.Count];
    private readonly List<RejectedRecord> _rejected = [];
    private int _written;
    private int _skipped;

    public string? StopReason { get; private set; }

    public IReadOnlyList<Record> Batch => batch;

    /// <summary>True once any record of the batch is accounted for.</summary>
    public bool AnyDone => _written + _skipped + _rejected.Count > 0;

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

    public void Written(int index)
    {
        if (Mark(index))
        {
            _written++;
        }
    }

    public void Skipped(int index)
    {
        if (Mark(index))
        {
            _skipped++;
        }
    }

    public void Reject(int index, string reason, string? code = null)
    {
        if (Mark(index))
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

        return new WriteResult(_written, _skipped, _rejected, StopReason);
    }

    private bool Mark(int index)
    {
        if (_done[index])
        {
            return false;
        }

        _done[index] = true;
        return true;
    }
}
