using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary>Options of the commands that read the state database: a pipeline file (optional) or a state folder.</summary>
public class StateSettings : GlobalSettings
{
    [CommandArgument(0, "[FILE]")]
    [Description("The pipeline file; its state is in .etl beside it (.etl/sandbox for sandbox runs). Without it: history reads the runs of every pipeline below the current folder; state reset --all clears ./.etl.")]
    public string? File { get; set; }

    [CommandOption("--state-dir <DIR>")]
    [Description("The state folder to read instead.")]
    public string? StateDirectory { get; set; }

    [CommandOption("--cluster <CONNECTION>")]
    [Description("An agent group's state in PostgreSQL instead (an Npgsql connection string or postgres://user@host:port/database); FILE is then the pipeline's id in the group, project:path as the agent logs it.")]
    public string? Cluster { get; set; }

    [CommandOption("--sandbox")]
    [Description("Only the state of sandbox runs (.etl/sandbox); history shows both, sandbox runs marked.")]
    public bool Sandbox { get; set; }

    [CommandOption("-o|--output <FORMAT>")]
    [Description("text (default) or json.")]
    [DefaultValue("text")]
    public string Output { get; set; } = "text";

    public bool Json => string.Equals(Output, "json", StringComparison.OrdinalIgnoreCase);

    public override ValidationResult Validate() =>
        Output is not ("text" or "json") ? ValidationResult.Error($"--output must be text or json, not '{Output}'")
        : Cluster is not null && (StateDirectory is not null || Sandbox) ? ValidationResult.Error("--cluster reads an agent group's state: give it without --state-dir and --sandbox")
        : ValidationResult.Success();

    /// <summary>The state folder, and the pipeline key (full path) to filter on, if a file was given.</summary>
    public (string Folder, string? Pipeline) Resolve(CliEnvironment environment)
    {
        var given = File is null ? null : Path.GetFullPath(File, environment.WorkingDirectory);
        var pipeline = given is null ? null : State.CanonicalPath.Of(given); // as runs record it
        var baseFolder = given is null ? environment.WorkingDirectory : Path.GetDirectoryName(given)!;
        var folder = State.StateLayout.For(baseFolder, StateDirectory is { } dir ? Path.GetFullPath(dir, environment.WorkingDirectory) : null, Sandbox).Folder;
        return (folder, pipeline);
    }
}
