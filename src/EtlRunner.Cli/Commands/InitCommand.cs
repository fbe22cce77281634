using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Init;
using EtlRunner.Diagnostics;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl init [FOLDER]</c>: scaffold a pipeline repository, never overwriting a file without <c>--force</c>.</summary>
internal sealed class InitCommand(CliEnvironment environment) : Command<InitCommand.Settings>
{
    public sealed class Settings : GlobalSettings
    {
        [CommandArgument(0, "[FOLDER]")]
        [Description("Where to create the repository (created when missing). Default: the current folder.")]
        public string? Folder { get; set; }

        [CommandOption("--force")]
        [Description("Overwrite files that already exist (by default etl init writes nothing when any would be overwritten).")]
        public bool Force { get; set; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(settings.Folder ?? ".", environment.WorkingDirectory);
        var files = Scaffold.Files(environment.Connectors());
        var existing = Scaffold.Existing(folder, files);
        if (existing.Count > 0 && !settings.Force)
        {
            environment.Error.WriteLine($"error: {folder} already has {existing.Count} of the files etl init writes; nothing was written:");
            foreach (var path in existing)
            {
                environment.Error.WriteLine("  " + path);
            }

            environment.Error.WriteLine("Use --force to overwrite them, or choose another folder.");
            return ExitCodes.InvalidPipeline;
        }

        try
        {
            Scaffold.Write(folder, files);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            environment.Error.WriteLine($"error: cannot write the scaffold into {folder}: {ex.Message}");
            return ExitCodes.OperationFailed;
        }

        var width = files.Max(f => f.Path.Length) + 2;
        environment.Out.WriteLine($"Created a pipeline repository in {folder}:");
        foreach (var file in files)
        {
            var overwritten = existing.Contains(file.Path) ? " (overwritten)" : string.Empty;
            environment.Out.WriteLine($"  {file.Path.PadRight(width)}{file.Purpose}{overwritten}");
        }

        environment.Out.WriteLine();
        environment.Out.WriteLine("Next:");
        if (settings.Folder is not null)
        {
            environment.Out.WriteLine($"  cd {settings.Folder}");
        }

        environment.Out.WriteLine("  etl run pipelines/contacts.yaml --sandbox           # try it offline, against a local Constant Contact");
        environment.Out.WriteLine("  cp .env.example .env                                # then fill in your account's values");
        environment.Out.WriteLine("  etl run pipelines/contacts.yaml --env-file .env     # run it for real");
        environment.Out.WriteLine("  etl validate pipelines                              # in CI: exit 2 on any problem");
        return ExitCodes.Ok;
    }
}
