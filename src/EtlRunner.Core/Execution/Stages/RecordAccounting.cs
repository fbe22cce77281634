using System.Globalization;
using EtlRunner.Connectors;
using EtlRunner.Planning;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// Where every record of an operation is accounted for: the counters (<c>read = filtered + written + skipped +
/// rejected</c>), the rejects file, the causes of the rejects, and the <c>options.max_rejects</c> limit, which stops the
/// operation the moment a reject passes it. Shared by the stages; thread-safe.
/// </summary>
internal sealed class RecordAccounting(OperationStats stats, RejectsWriter rejects, ChangeLimit? maxRejects, OperationStop stop)
{
    private volatile bool _limitPassed;

    public OperationStats Stats => stats;

    public RejectsWriter Rejects => rejects;

    /// <summary>The rejects counted by cause, for the messages that say what went wrong most often.</summary>
    public RejectTally Causes { get; } = new();

    /// <summary>True once more records were rejected than <c>options.max_rejects</c> allows.</summary>
    public bool LimitPassed => _limitPassed;

    /// <summary>Rejects records left in <paramref name="stage"/> when the operation stopped: the stop is their cause, not theirs.</summary>
    public void Unfinished(IReadOnlyList<Record> records, StageName stage) =>
        Unfinished(records, new RejectReason(UnfinishedCause.OperationStopped, stage, stop.Reason ?? string.Empty));

    /// <summary>Rejects records the operation did not finish, all with the same reason (rendered once).</summary>
    public void Unfinished(IReadOnlyList<Record> records, RejectReason reason)
    {
        var lines = new string[records.Count];
        if (lines.Length > 0)
        {
            var text = reason.ToString();
            var stage = RejectReason.Name(reason.Stage);
            for (var i = 0; i < lines.Length; i++)
            {
                lines[i] = rejects.Line(stage, records[i], text, RejectReason.StoppedCode);
            }
        }

        Reject(lines);
    }

    /// <summary>Appends rejects lines formatted earlier (held with a batch that is not going to be written) and counts them.</summary>
    public void Reject(IReadOnlyList<string> lines)
    {
        rejects.Append(lines);
        Count(lines.Count);
    }

    /// <summary>Counts rejects whose lines are appended elsewhere, and stops the operation if they pass the limit.</summary>
    public void Count(long rejected)
    {
        var total = stats.AddRejected(rejected);
        if (!stop.IsStopped && Passes(total, stats.Read, final: false))
        {
            StopForLimit();
        }
    }

    /// <summary>
    /// For a target that sends record by record: why it must stop now, counting <paramref name="rejectedInBatch"/>
    /// rejects of the batch at hand not counted yet; null to go on.
    /// </summary>
    public string? StopSending(int rejectedInBatch)
    {
        if (!stop.IsStopped && Passes(stats.Rejected + rejectedInBatch, stats.Read, final: false))
        {
            StopForLimit();
        }

        return stop.Reason;
    }

    /// <summary>At the end of an operation that was not stopped: whether its rejects pass the limit over all it read.</summary>
    public bool PassedAtEnd(OperationCounts counts)
    {
        if (!_limitPassed && !stop.IsStopped && Passes(counts.Rejected, counts.Read, final: true))
        {
            _limitPassed = true;
        }

        return _limitPassed;
    }

    /// <summary>The failure when max_rejects was passed, written at the end so that it names the causes of every reject.</summary>
    public string LimitMessage(OperationCounts counts) =>
        $"more than {maxRejects} records rejected (options.max_rejects; {counts.Rejected} of {counts.Read} read); most frequent: {Causes.Describe()}. See the rejects file, fix the cause and run again, or raise max_rejects";

    /// <summary>What a successful operation should still tell its user: it filtered everything, or rejected a lot.</summary>
    public List<string> Warnings(OperationCounts counts)
    {
        var warnings = new List<string>();
        if (counts.Read > 0 && counts.Filtered == counts.Read)
        {
            warnings.Add($"the where condition filtered every record read ({counts.Read}): nothing reached the target; check the condition and the source's field names");
        }

        if (counts.Read > 0 && counts.Rejected * 10 > counts.Read)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{counts.Rejected} of {counts.Read} records read ({100.0 * counts.Rejected / counts.Read:0.#}%) were rejected; most frequent: {Causes.Describe()}"));
        }

        return warnings;
    }

    /// <summary>Whether <paramref name="rejected"/> passes options.max_rejects; a percentage counts once enough was read, or at the end.</summary>
    private bool Passes(long rejected, long read, bool final) => maxRejects switch
    {
        null => false,
        { Count: { } max } => rejected > max,
        { } share => (final || read >= OperationOptions.PercentRejectsMinimumRead) && rejected > share.Allowed(read),
    };

    private void StopForLimit()
    {
        _limitPassed = true;
        stop.Stop(StopCause.RejectLimit, $"more than {maxRejects} records rejected (options.max_rejects)");
    }
}
