using System.Globalization;

namespace EtlRunner.State;

/// <summary>A run of this pipeline, or another run writing the same resource, is already in progress.</summary>
public sealed class RunLockedException(string message) : Exception(message);

/// <summary>
/// Refuses concurrent runs of one pipeline: an exclusive <see cref="LockFile"/> in the state folder, named after the
/// pipeline's canonical path, so a crashed or killed run never leaves it behind.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly LockFile _lock;
    private readonly string _pipelineFile;
    private readonly TimeProvider _time;

    private RunLock(LockFile fileLock, string pipelineFile, TimeProvider time, bool ranBefore)
    {
        (_lock, _pipelineFile, _time) = (fileLock, pipelineFile, time);
        RanBefore = ranBefore;
    }

    /// <summary>
    /// The lock file was there already: the pipeline has run with this state folder before. With no history of it
    /// in the state database, that database was deleted or reset since.
    /// </summary>
    public bool RanBefore { get; }

    public static RunLock Acquire(string stateDirectory, string pipelineFile, string runId, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var path = StateLayout.In(stateDirectory).RunLockFile(pipelineFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var ranBefore = File.Exists(path);
        return LockFile.TryAcquire(path, Holder(runId, pipelineFile, time), out var holder) is { } taken
            ? new RunLock(taken, pipelineFile, time, ranBefore)
            : throw new RunLockedException(
                $"another run of {pipelineFile} is in progress ({holder}); runs of one pipeline are not interleaved. Wait for it to finish, or stop it.");
    }

    /// <summary>The holder is now this run id (the run resumed an interrupted one and kept its id).</summary>
    public void HeldBy(string runId) => _lock.Describe(Holder(runId, _pipelineFile, _time));

    /// <summary>Who holds a lock, as a refusal shows it.</summary>
    internal static string Holder(string runId, string pipelineFile, TimeProvider time) =>
        string.Create(CultureInfo.InvariantCulture, $"run {runId}, process {Environment.ProcessId}, pipeline {pipelineFile}, since {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}");

    public void Dispose() => _lock.Dispose();
}
