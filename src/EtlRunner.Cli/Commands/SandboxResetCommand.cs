using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.State;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl sandbox reset FILE</c>: delete the data the sandbox keeps for a pipeline, so its next <c>--sandbox</c> run starts from the seed.</summary>
internal sealed class SandboxResetCommand(CliEnvironment environment) : Command<SandboxResetCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The pipeline file whose sandbox data to delete.")]
        public string File { get; set; } = string.Empty;

        [CommandOption("--state-dir <DIR>")]
        [Description("The state folder its --sandbox runs use, when not .etl/sandbox beside the file.")]
        public string? StateDirectory { get; set; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var pipeline = Path.GetFullPath(settings.File, environment.WorkingDirectory);
        if (!System.IO.File.Exists(pipeline))
        {
            environment.Error.WriteLine($"error: {settings.File}: no such pipeline file");
            return ExitCodes.InvalidPipeline;
        }

        var stateDirectory = settings.StateDirectory is { } dir ? Path.GetFullPath(dir, environment.WorkingDirectory) : null;
        var dataFile = StateLayout.For(Path.GetDirectoryName(pipeline)!, stateDirectory, sandbox: true).SandboxDataFile(pipeline);
        var deleted = SandboxSwitch.Reset(dataFile);
        environment.Out.WriteLine(deleted.Count > 0
            ? $"deleted {string.Join(", ", deleted)}; the next --sandbox run of {settings.File} starts from the sandbox's seed, with new contact ids"
            : $"{settings.File} has no sandbox data ({dataFile}); nothing to delete");
        return ExitCodes.Ok;
    }
}
