using EtlRunner.Cli;
using EtlRunner.Cli.Infrastructure;

namespace EtlRunner.Cli.Tests;

/// <summary>Runs <c>etl</c> in-process with captured stdout and stderr, as CI or cron would (not a terminal).</summary>
internal static class Cli
{
    public static async Task<CliResult> RunAsync(string[] args, Func<string, string?>? environment = null, CancellationToken cancellationToken = default, string? workingDirectory = null, TimeProvider? clock = null, int? width = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            IsTerminal = false,
            NoColor = true,
            EnvironmentVariable = environment ?? (_ => null),
            ProgressInterval = TimeSpan.FromMilliseconds(50),
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
            TimeProvider = clock ?? TimeProvider.System,
            Width = width,
        };
        var code = await EtlApp.RunAsync(args, env, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EtlRunner.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new InvalidOperationException("EtlRunner.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Console text with the line wrapping undone: every run of white space becomes one space.</summary>
    public static string Unwrapped(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    /// <summary>Copies a folder of the repository into <paramref name="target"/>, keeping relative paths intact.</summary>
    public static void CopyFolder(string relative, string target)
    {
        var source = Path.Combine(RepositoryRoot, relative);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var part = Path.GetRelativePath(source, file);
            if (part.Split(Path.DirectorySeparatorChar).Any(p => p is ".etl" or "out"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative, part);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
