using EtlRunner.Expressions;

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

    /// <summary>The secrets of <paramref name="args"/>, read with the command and option names <paramref name="check"/> knows.</summary>
    public static SecretMasker Of(IReadOnlyList<string> args, CommandLineCheck check, CliEnvironment environment)
    {
        var masker = new SecretMasker();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(n => n.StartsWith("ETL_VAR_", StringComparison.Ordinal)))
        {
            masker.Add(environment.EnvironmentVariable(name));
        }

        var known = check.Names.ToHashSet(StringComparer.Ordinal);
        var flags = check.Flags.Concat(["-h", "--help", "-v", "--version"]).ToHashSet(StringComparer.Ordinal);
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
                && (previous is null || !previous.StartsWith('-') || previous.Contains('=', StringComparison.Ordinal) || flags.Contains(previous)))
            {
                masker.Add(arg);
            }
        }

        return masker;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
