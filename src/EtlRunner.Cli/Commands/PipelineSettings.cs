using System.ComponentModel;
using Spectre.Console;
using Microsoft.Extensions.Logging;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>Options shared by the commands that read a pipeline: variables, environment, output format.</summary>
public class PipelineSettings : GlobalSettings
{
    [CommandOption("--var <NAME=VALUE>")]
    [Description("Set a project variable (highest precedence). Repeatable.")]
    public string[] Variables { get; set; } = [];

    [CommandOption("--env-file <FILE>")]
    [Description("Read variable values from a dotenv file (NAME=value lines), for secrets kept out of git.")]
    public string? EnvFile { get; set; }

    [CommandOption("-e|--environment <NAME>")]
    [Description("Apply the variable overrides of this environment (declared under 'environments').")]
    public string? Environment { get; set; }

    [CommandOption("-o|--output <FORMAT>")]
    [Description("text (default) or json. With json, stdout carries only JSON; logs go to stderr.")]
    [DefaultValue("text")]
    public string Output { get; set; } = "text";

    [CommandOption("-q|--quiet")]
    [Description("Print only errors and the result.")]
    public bool Quiet { get; set; }

    public bool Json => string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase);

    public override ValidationResult Validate()
    {
        if (Output is not ("text" or "json"))
        {
            return ValidationResult.Error($"--output must be text or json, not '{Output}'");
        }

        foreach (var assignment in Variables)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return ValidationResult.Error($"--var expects NAME=VALUE, not '{assignment}'");
            }
        }

        return ValidationResult.Success();
    }

    public Dictionary<string, string> ParseVariables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in Variables)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            result[assignment[..equals]] = assignment[(equals + 1)..];
        }

        return result;
    }
}

/// <summary>Options of the commands that act on one file and may talk to its connections; each declares its own FILE argument.</summary>
public class FileCommandSettings : PipelineSettings, ILogSettings
{
    /// <summary>The levels --log-level takes, by name.</summary>
    public static readonly IReadOnlyDictionary<string, LogLevel> LogLevels = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = Microsoft.Extensions.Logging.LogLevel.Trace,
        ["debug"] = Microsoft.Extensions.Logging.LogLevel.Debug,
        ["information"] = Microsoft.Extensions.Logging.LogLevel.Information,
        ["info"] = Microsoft.Extensions.Logging.LogLevel.Information,
        ["warning"] = Microsoft.Extensions.Logging.LogLevel.Warning,
        ["warn"] = Microsoft.Extensions.Logging.LogLevel.Warning,
        ["error"] = Microsoft.Extensions.Logging.LogLevel.Error,
        ["critical"] = Microsoft.Extensions.Logging.LogLevel.Critical,
        ["none"] = Microsoft.Extensions.Logging.LogLevel.None,
    };

    /// <summary>The pipeline file.</summary>
    public string File { get; set; } = string.Empty;

    [CommandOption("--sandbox")]
    [Description("Start a local Constant Contact sandbox and point every constantcontact connection at it (no account, no network). State then goes to .etl/sandbox.")]
    public bool Sandbox { get; set; }

    [CommandOption("--state-dir <DIR>")]
    [Description("The state folder (rejects, connection state). Default: .etl beside the pipeline file.")]
    public string? StateDirectory { get; set; }

    [CommandOption("--log-level <LEVEL>")]
    [Description("trace, debug, information, warning (default), error or none.")]
    [DefaultValue("warning")]
    public string LogLevel { get; set; } = "warning";

    [CommandOption("--log-file <FILE>")]
    [Description("Also write log lines (at --log-level, or information when unset) to this file.")]
    public string? LogFile { get; set; }

    [CommandOption("--log-format <FORMAT>")]
    [Description("text (default), or json: one JSON object per log line (timestamp, level, run_id, operation, message, fields), for log shippers.")]
    [DefaultValue("text")]
    public string LogFormat { get; set; } = "text";

    public LogLevel Level => LogLevels[LogLevel];

    public override ValidationResult Validate()
    {
        if (!LogLevels.ContainsKey(LogLevel))
        {
            return ValidationResult.Error($"--log-level must be one of trace, debug, information, warning, error, critical or none, not '{LogLevel}'");
        }

        return LogFormat is "text" or "json" ? base.Validate() : ValidationResult.Error($"--log-format must be text or json, not '{LogFormat}'");
    }
}

/// <summary>The options of <see cref="FileCommandSettings"/> for a pipeline file given as the argument.</summary>
public class FileSettings : FileCommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The pipeline file (.yaml).")]
    public string PipelineFile { get => File; set => File = value; }
}
