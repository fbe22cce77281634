using System.ComponentModel;
using EtlRunner.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Agent;

/// <summary>The options of <c>etl agent</c>.</summary>
public sealed class AgentSettings : PipelineSettings, ILogSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Pipeline files, or folders searched for .yaml/.yml files, whose schedules the agent runs.")]
    public string[] Paths { get; set; } = [];

    [CommandOption("--state-dir <DIR>")]
    [Description("The state folder of every run, and of the schedule store (schedule.db). Default: .etl in the first PATH (beside it, for a file); with --cluster, .etl/agents/NAME there (rejects files only: the run state is in PostgreSQL).")]
    public string? StateDirectory { get; set; }

    [CommandOption("--name <NAME>")]
    [Description("The agent's name in logs and in the schedule store; in a group, unique (a second agent of the same name is refused). Default: the machine's name.")]
    public string? Name { get; set; }

    [CommandOption("--cluster <CONNECTION>")]
    [Description("Join an agent group on PostgreSQL: an Npgsql connection string or postgres://user[[:password]]@host:port/database. Schedules, leases and all run state are kept there; each fire time runs once across the group.")]
    public string? Cluster { get; set; }

    [CommandOption("--group <GROUP>")]
    [Description("The agent group to join with --cluster (default: default). Agents of one group share schedules.")]
    public string? Group { get; set; }

    [CommandOption("--threads <N>")]
    [Description("How many scheduled runs may go at once (default 4).")]
    [DefaultValue(4)]
    public int Threads { get; set; } = 4;

    [CommandOption("--status-port <PORT>")]
    [Description("Serve the status page (GET /) and GET /status.json on this port (0: any free one, logged).")]
    public int? StatusPort { get; set; }

    [CommandOption("--status-bind <ADDRESS>")]
    [Description("The address the status page listens on (default 127.0.0.1, this machine only).")]
    [DefaultValue("127.0.0.1")]
    public string StatusBind { get; set; } = "127.0.0.1";

    [CommandOption("--log-level <LEVEL>")]
    [Description("trace, debug, information (default: each fire and run is logged), warning, error or none.")]
    [DefaultValue("information")]
    public string LogLevel { get; set; } = "information";

    [CommandOption("--log-file <FILE>")]
    [Description("Also write log lines to this file.")]
    public string? LogFile { get; set; }

    [CommandOption("--log-format <FORMAT>")]
    [Description("text (default), or json: one JSON object per log line (timestamp, level, run_id, operation, message, fields), for log shippers.")]
    [DefaultValue("text")]
    public string LogFormat { get; set; } = "text";

    public override ValidationResult Validate()
    {
        if (!FileCommandSettings.LogLevels.ContainsKey(LogLevel))
        {
            return ValidationResult.Error($"--log-level must be one of trace, debug, information, warning, error, critical or none, not '{LogLevel}'");
        }

        if (LogFormat is not ("text" or "json"))
        {
            return ValidationResult.Error($"--log-format must be text or json, not '{LogFormat}'");
        }

        if (Threads is < 1 or > 64)
        {
            return ValidationResult.Error($"--threads must be between 1 and 64, not {Threads}");
        }

        if (StatusPort is < 0 or > 65535)
        {
            return ValidationResult.Error($"--status-port must be between 0 and 65535, not {StatusPort}");
        }

        if (!System.Net.IPAddress.TryParse(StatusBind, out _))
        {
            return ValidationResult.Error($"--status-bind must be an IP address (127.0.0.1, 0.0.0.0, ::), not '{StatusBind}'");
        }

        if (Group is not null && Cluster is null)
        {
            return ValidationResult.Error("--group needs --cluster: an agent group keeps its schedules in PostgreSQL");
        }

        if (Group is { Length: 0 } || Name is { Length: 0 })
        {
            return ValidationResult.Error("--group and --name cannot be empty");
        }

        return base.Validate();
    }
}
