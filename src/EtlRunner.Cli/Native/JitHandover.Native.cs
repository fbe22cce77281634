using System.Runtime.InteropServices;
using EtlRunner.Diagnostics;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// The native executable's half of <see cref="JitHandover"/>: replaces this process (<c>execv</c>: same process id,
/// signals, standard streams and exit code, nothing left behind on kill -9) with <c>dotnet jit/etl.dll ARGS</c>.
/// Compiled into the native build only (EtlNative), which is linux-x64.
/// </summary>
internal static partial class JitHandoverNative
{
    /// <summary>Runs <paramref name="args"/> on the JIT build; returns only when that cannot start, after saying why.</summary>
    public static int Exec(string[] args)
    {
        var entry = Path.Combine(AppContext.BaseDirectory, "jit", "etl.dll");
        var what = JitHandover.Commands.Contains(args[0]) ? $"etl {args[0]}" : "a line with " + string.Join(" or ", JitHandover.Options);
        if (!File.Exists(entry))
        {
            Console.Error.WriteLine($"error: {what} runs on the JIT build the tool carries in {Path.GetDirectoryName(entry)}, which is missing: reinstall the tool (dotnet tool uninstall -g EtlRunner, then dotnet tool install -g EtlRunner)");
            return ExitCodes.InvalidPipeline;
        }

        if (FindDotnet() is not { } dotnet)
        {
            Console.Error.WriteLine($"error: {what} runs on the .NET 10 runtime (the agent, the sandbox and agent groups are not in the native executable), and no dotnet was found in DOTNET_ROOT, on PATH or in ~/.dotnet: install .NET 10 (with ASP.NET Core), or set DOTNET_ROOT");
            return ExitCodes.InvalidPipeline;
        }

        string[] argv = [dotnet, entry, .. args];
        var pointers = new IntPtr[argv.Length + 1];
        for (var i = 0; i < argv.Length; i++)
        {
            pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
        }

        _ = Execv(dotnet, pointers); // returns only on failure
        var reason = Marshal.GetLastPInvokeErrorMessage();
        Console.Error.WriteLine($"error: could not start {dotnet} for {what}: {reason}");
        return ExitCodes.InvalidPipeline;
    }

    /// <summary>The <c>dotnet</c> host: the one that started us (DOTNET_HOST_PATH), DOTNET_ROOT's, the first on PATH, else ~/.dotnet's.</summary>
    private static string? FindDotnet()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            candidates.Add(Path.Combine(root, "dotnet"));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, "dotnet")));
        candidates.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "dotnet"));
        return candidates.FirstOrDefault(path => path is { Length: > 0 } && File.Exists(path));
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, IntPtr[] argv);
}
