using System.Globalization;
using System.Text;

namespace EtlRunner.State;

/// <summary>
/// The locks a run holds on the resources it writes (a database file, a CSV file, a Constant Contact account), so that
/// two runs never write one resource at once, whatever their pipeline file, symlink or <c>--state-dir</c>. Each is a
/// <see cref="LockFile"/> in a per-user folder (see <see cref="DefaultFolder"/>), taken before the operation's first
/// write and held until the run ends; the kernel releases it when the process dies.
/// </summary>
public sealed class ResourceLocks(string folder, string runId, string pipelineFile, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, LockFile> _held = new(StringComparer.Ordinal);

    /// <summary>Takes the lock on <paramref name="resource"/> (a description that names it and holds no secret) unless this run holds it already.</summary>
    /// <exception cref="RunLockedException">Another run holds it; the message names that run and the resource.</exception>
    public void Hold(string resource)
    {
        if (_held.ContainsKey(resource))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(folder, FileName(resource));
        _held[resource] = LockFile.TryAcquire(path, RunLock.Holder(runId, pipelineFile, time) + ", writing " + resource, out var holder)
            ?? throw new RunLockedException(
                $"{resource} is being written by another run ({holder}); two runs never write one resource at once. Wait for it to finish, or stop it.");
    }

    /// <summary>The per-user lock folder: <c>$XDG_RUNTIME_DIR/etlrunner/locks</c>, else <c>~/.cache/etlrunner/locks</c>.</summary>
    public static string DefaultFolder(Func<string, string?> environmentVariable)
    {
        ArgumentNullException.ThrowIfNull(environmentVariable);
        var root = environmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime)
            ? runtime
            : Path.Combine(environmentVariable("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "etlrunner", "locks");
    }

    /// <summary>
    /// The lock file of a resource: the 128-bit FNV-1a hash of its UTF-8 text, in hex. Not a cryptographic hash (the
    /// resource text holds no secret, and a collision only refuses a run, naming the resource): SHA-256 here loaded
    /// OpenSSL into every run that writes: 5.5 MB of a 1,000-row CSV -> SQLite run's 70 MB peak RSS.
    /// </summary>
    private static string FileName(string resource)
    {
        var hash = new UInt128(0x6c62272e07bb0142, 0x62b821756295c58d);
        var prime = new UInt128(0x0000000001000000, 0x000000000000013b);
        foreach (var b in Encoding.UTF8.GetBytes(resource))
        {
            hash = (hash ^ b) * prime;
        }

        return hash.ToString("x32", CultureInfo.InvariantCulture) + ".lock";
    }

    public void Dispose()
    {
        foreach (var held in _held.Values)
        {
            held.Dispose();
        }

        _held.Clear();
    }
}
