using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>Options shared by the commands that read a pipeline: variables, environment, output format.</summary>
public class PipelineSettings : CommandSettings
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

/// <summary>Options of the commands that act on one pipeline file and may talk to its connections.</summary>
public class FileSettings : PipelineSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The pipeline file (.yaml); for replay, the rejects file (.jsonl).")]
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
}
