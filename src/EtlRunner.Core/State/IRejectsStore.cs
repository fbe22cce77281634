namespace EtlRunner.State;

/// <summary>
/// Rejects kept by the state store instead of files (an agent group's PostgreSQL), so that every agent of the group
/// continues one run's rejects and <c>etl replay</c> reaches them from any machine. A run's operation has one
/// numbered sequence of lines, exactly the lines a rejects file would hold (masked the same way); its length, the
/// number of lines, is what the write ledger's <see cref="LedgerMark.RejectsLength"/> records for it. Lines are
/// written fenced like every other write of the run: with the batch's confirmation in the write ledger
/// (<see cref="IWriteLedger.MarkDone(long, string, LedgerMark, IReadOnlyList{string})"/>), or through
/// <see cref="Append"/> for those no confirmation carries.
/// </summary>
public interface IRejectsStore
{
    /// <summary>Where the rejects of a run's operation are, as history and the summary show it (never a password).</summary>
    string Describe(string runId, string operation);

    /// <summary>The number of lines kept for the run's operation.</summary>
    long Count(string runId, string operation);

    /// <summary>Adds <paramref name="lines"/> as lines <paramref name="after"/> + 1, + 2, ... of the run's operation, durably.</summary>
    void Append(string pipeline, string runId, string operation, long after, IReadOnlyList<string> lines);

    /// <summary>Deletes the lines past <paramref name="length"/> (what an interrupted run's ledger confirmed); the number deleted.</summary>
    long Cut(string runId, string operation, long length);

    /// <summary>The lines of the run's operation, in order.</summary>
    IReadOnlyList<string> Lines(string runId, string operation);

    /// <summary>The run's operations that have rejects, with their number of lines.</summary>
    IReadOnlyList<(string Operation, long Lines)> Operations(string runId);
}
