using System.Globalization;
using System.Text;

namespace EtlRunner.State;

/// <summary>A run of this pipeline is already in progress.</summary>
public sealed class RunLockedException(string message) : Exception(message);

/// <summary>
/// Refuses concurrent runs of one pipeline: an exclusive lock on a file in the state folder, which the operating
/// system releases when the process ends in any way (even <c>kill -9</c>), so a crash never leaves a stale lock.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _infoPath;

    private RunLock(FileStream stream, string infoPath)
    {
        _stream = stream;
        _infoPath = infoPath;
    }

    public static RunLock Acquire(string stateDirectory, string pipelineFile, string runId, TimeProvider time)
    {
        var folder = Path.Combine(stateDirectory, "locks");
        Directory.CreateDirectory(folder);
        var name = Execution.RunContextNames.Slug(Path.GetFileNameWithoutExtension(pipelineFile));
        var path = Path.Combine(folder, name + ".lock");
        var info = path + ".info";
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(info, string.Create(CultureInfo.InvariantCulture, $"run {runId}, process {Environment.ProcessId}, since {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}"), Encoding.UTF8);
            return new RunLock(stream, info);
        }
        catch (IOException)
        {
            var holder = File.Exists(info) ? File.ReadAllText(info) : "another process";
            throw new RunLockedException(
                $"another run of {pipelineFile} is in progress ({holder}); runs of one pipeline are not interleaved. Wait for it to finish, or stop it.");
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        try
        {
            File.Delete(_infoPath);
        }
        catch (IOException)
        {
            // Best effort: the lock itself is the file handle, already released.
        }
    }
}
