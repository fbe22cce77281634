using System.Text;

namespace EtlRunner.State;

/// <summary>
/// An exclusive lock on a file, which the operating system releases when the process ends in any way (even
/// <c>kill -9</c>), so a crash never leaves a stale lock. Who holds it is written beside it, for the refusal.
/// </summary>
public sealed class LockFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _holderPath;

    private LockFile(FileStream stream, string holderPath)
    {
        _stream = stream;
        _holderPath = holderPath;
    }

    /// <summary>Takes the lock at <paramref name="path"/>, or returns null and who holds it.</summary>
    public static LockFile? TryAcquire(string path, string holder, out string? heldBy)
    {
        var holderPath = path + ".info";
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(holderPath, holder, Encoding.UTF8);
            heldBy = null;
            return new LockFile(stream, holderPath);
        }
        catch (IOException)
        {
            heldBy = ReadHolder(holderPath);
            return null;
        }
    }

    /// <summary>Rewrites who holds the lock (the run resumed another run and took its id).</summary>
    public void Describe(string holder) => File.WriteAllText(_holderPath, holder, Encoding.UTF8);

    private static string ReadHolder(string holderPath)
    {
        try
        {
            return File.Exists(holderPath) ? File.ReadAllText(holderPath) : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        try
        {
            File.Delete(_holderPath);
        }
        catch (IOException)
        {
            // Best effort: the lock itself is the file handle, already released.
        }
    }
}
