namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// What the native <c>etl</c> (linux-x64, compiled ahead of time) leaves to the JIT build of the same commands that
/// its package carries in <c>jit/</c>: the long-running servers and everything of an agent group, which would otherwise
/// compile ASP.NET Core, Quartz's scheduler and PostgreSQL's client into every short run (15 MB more resident in each
/// `etl run`). The native executable hands such a line over whole, before parsing it (see <c>Native/JitHandover.Native.cs</c>).
/// </summary>
internal static class JitHandover
{
    /// <summary>The commands that run on the JIT build, whatever their options.</summary>
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>(StringComparer.Ordinal) { "agent", "status", "sandbox" };

    /// <summary>The options that need the JIT build in any command: <c>--sandbox</c> (ASP.NET Core) and <c>--cluster</c> (PostgreSQL).</summary>
    public static readonly IReadOnlyList<string> Options = ["--sandbox", "--cluster"];

    /// <summary>Whether the line <paramref name="args"/> is one the native executable hands to the JIT build.</summary>
    public static bool IsNeeded(IReadOnlyList<string> args) =>
        args is [var first, ..] && Commands.Contains(first)
        || args.Any(arg => Options.Any(option => arg == option || (arg.StartsWith(option, StringComparison.Ordinal) && arg.Length > option.Length && arg[option.Length] is '=' or ':')));
}
