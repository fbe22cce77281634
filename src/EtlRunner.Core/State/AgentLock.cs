using System.Globalization;

namespace EtlRunner.State;

/// <summary>
/// One agent per state folder: an exclusive <see cref="LockFile"/> (<c>.etl/locks/agent.lock</c>) that the
/// operating system releases when the agent ends in any way, so a killed agent never blocks the next one.
/// </summary>
public sealed class AgentLock : IDisposable
{
    private readonly LockFile _lock;

    private AgentLock(LockFile fileLock) => _lock = fileLock;

    /// <exception cref="RunLockedException">Another agent holds the folder.</exception>
    public static AgentLock Acquire(string stateDirectory, string agentName, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var folder = Path.Combine(stateDirectory, "locks");
        Directory.CreateDirectory(folder);
        var holder = string.Create(CultureInfo.InvariantCulture, $"agent {agentName}, process {Environment.ProcessId}, since {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}");
        return LockFile.TryAcquire(Path.Combine(folder, "agent.lock"), holder, out var heldBy) is { } taken
            ? new AgentLock(taken)
            : throw new RunLockedException(
                $"another agent uses the state folder {stateDirectory} ({heldBy}); one agent runs per state folder. Stop it, or give this one its own --state-dir.");
    }

    public void Dispose() => _lock.Dispose();
}
