using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using EtlRunner.Diagnostics;
using EtlRunner.Loading;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// Checks the command and option names, and that every option taking a value has one, against the commands'
/// settings before Spectre parses the line: a typo gets a did-you-mean, and an option missing its value is named
/// as typed (never by Spectre's internal names). Values are never quoted, since they may be secrets.
/// </summary>
internal sealed class CommandLineCheck
{
    // The options of each command, read from its settings the first time they are asked for: a line needs those of the
    // command it names, and only an error needs all of them (CommandLineSecrets), so a run reflects over one settings class.
    private readonly Dictionary<string, Lazy<Dictionary<string, CommandOptionAttribute>>> _commands = new(StringComparer.Ordinal);
    private readonly HashSet<string> _branches = new(StringComparer.Ordinal);

    /// <summary>The command and branch names, which an error may quote as typed.</summary>
    public IEnumerable<string> Names => _commands.Keys.SelectMany(k => k.Split(' ')).Concat(_branches).Distinct();

    /// <summary>The options of any command that take no value (flags such as <c>--quiet</c>).</summary>
    public IEnumerable<string> Flags => _commands.Values.SelectMany(o => o.Value).Where(o => o.Value.ValueName is null).Select(o => o.Key).Distinct();

    public void AddCommand(string path, Type command) => _commands[path] = new(() => OptionsOf(SettingsOf(command)));

    public void AddBranch(string name) => _branches.Add(name);

    /// <summary>A branch typed alone (<c>etl sandbox</c>) shows its help, like <c>etl</c> alone does.</summary>
    public string[] Normalize(string[] args) => args is [var only] && _branches.Contains(only) ? [only, "--help"] : args;

    /// <summary>What is wrong with the command line, or null when Spectre may parse it.</summary>
    public string? Problem(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            return null;
        }

        var path = args[0];
        if (!_commands.ContainsKey(path) && !_branches.Contains(path))
        {
            var topLevel = _commands.Keys.Where(k => !k.Contains(' ', StringComparison.Ordinal)).Concat(_branches);
            return $"unknown command '{path}'{Suggestions.DidYouMean(path, topLevel)}; run 'etl --help' for the commands";
        }

        var position = 1;
        if (_branches.Contains(path))
        {
            if (args.Count == 1 || args[1].StartsWith('-'))
            {
                return null;
            }

            var branch = path;
            path = branch + " " + args[1];
            if (!_commands.ContainsKey(path))
            {
                var inBranch = _commands.Keys.Where(k => k.StartsWith(branch + " ", StringComparison.Ordinal)).Select(k => k[(branch.Length + 1)..]);
                return $"unknown command '{path}'{Suggestions.DidYouMean(args[1], inBranch)}; run 'etl {branch} --help' for its commands";
            }

            position = 2;
        }

        var options = _commands[path].Value;
        for (var i = position; i < args.Count && args[i] != "--"; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg.Length == 1)
            {
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            if (name is "-h" or "--help")
            {
                continue;
            }

            if (!options.TryGetValue(name, out var option))
            {
                if (!name.StartsWith("--", StringComparison.Ordinal))
                {
                    continue; // a negative number, or short flags run together: Spectre's call
                }

                return $"unknown option '{name}' of 'etl {path}'{Suggestions.DidYouMean(name, options.Keys.Where(k => k.StartsWith("--", StringComparison.Ordinal)))}; run 'etl {path} --help' for its options";
            }

            if (option.ValueName is null || option.ValueIsOptional || equals >= 0)
            {
                continue;
            }

            if (i + 1 == args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return $"{name} expects {option.ValueName}";
            }

            i++;
        }

        return null;
    }

    private static Type SettingsOf(Type command)
    {
        for (var type = command.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericArguments() is [var settings] && typeof(CommandSettings).IsAssignableFrom(settings))
            {
                return settings;
            }
        }

        throw new ArgumentException($"{command.Name} is not a command with settings", nameof(command));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Settings types are in the etl assembly, which the ahead-of-time compiled tool keeps whole (TrimmerRootAssembly).")]
    private static Dictionary<string, CommandOptionAttribute> OptionsOf(Type settings) =>
        settings.GetProperties()
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .SelectMany(o => o.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n)).Select(n => (Name: n, Option: o)))
            .ToDictionary(x => x.Name, x => x.Option, StringComparer.Ordinal);
}
