using System.Reflection;
using EtlRunner.Expressions;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// What an error about the command line must not echo, since parse errors quote arguments as typed: the value part
/// of every <c>--var</c> argument however malformed (<c>=value</c>, <c>name:value</c>), every <c>ETL_VAR_*</c> value,
/// and a stray argument (one that is not an option, an option's value, a command or an existing path: a value the
/// shell split off its <c>--var</c>).
/// </summary>
internal static class CommandLineSecrets
{
    private const string Var = "--var";

    /// <summary>The options that take no value, from the commands' settings (and Spectre's own --help and --version).</summary>
    private static readonly HashSet<string> Flags = [.. typeof(CommandLineSecrets).Assembly.GetTypes()
        .SelectMany(t => t.GetProperties())
        .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
        .Where(o => o is { ValueName: null })
        .SelectMany(o => o!.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n)))
        .Concat(["-h", "--help", "-v", "--version"])];

    public static SecretMasker Of(IReadOnlyList<string> args, IEnumerable<string> commands, CliEnvironment environment)
    {
        var masker = new SecretMasker();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith("ETL_VAR_", StringComparison.Ordinal)))
        {
            masker.Add(environment.EnvironmentVariable(name));
        }

        var known = commands.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var previous = i > 0 ? args[i - 1] : null;
            if (previous == Var || arg.StartsWith(Var + "=", StringComparison.Ordinal))
            {
                var value = previous == Var ? arg : arg[(Var.Length + 1)..];
                var separator = value.IndexOfAny(['=', ':']);
                masker.Add(separator < 0 ? value : value[(separator + 1)..]);
            }
            else if (!arg.StartsWith('-') && !known.Contains(arg) && !Exists(Path.Combine(environment.WorkingDirectory, arg))
                && (previous is null || !previous.StartsWith('-') || previous.Contains('=', StringComparison.Ordinal) || Flags.Contains(previous)))
            {
                masker.Add(arg);
            }
        }

        return masker;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
