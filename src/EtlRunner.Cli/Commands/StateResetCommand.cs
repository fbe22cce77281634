using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.State;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl state reset FILE --operation NAME</c>: forget an operation's incremental watermark, so its next run starts over.</summary>
internal sealed class StateResetCommand(CliEnvironment environment) : Command<StateResetCommand.Settings>
{
    public sealed class Settings : StateSettings
    {
        [CommandOption("--operation <NAME>")]
        [Description("The operation whose watermark to clear.")]
        public string Operation { get; set; } = string.Empty;

        [CommandOption("--all")]
        [Description("Delete the whole state database of the folder (history, watermarks, write ledger, rotated tokens), even when it is damaged.")]
        public bool All { get; set; }

        public override Spectre.Console.ValidationResult Validate() =>
            All ? (Operation.Length > 0 ? Spectre.Console.ValidationResult.Error("give either --operation NAME or --all")
                : Cluster is not null && File is null ? Spectre.Console.ValidationResult.Error("with --cluster, give the pipeline's id in the group (project:path) to reset")
                : base.Validate())
            : File is null ? Spectre.Console.ValidationResult.Error("give the pipeline FILE")
            : Operation.Length == 0 ? Spectre.Console.ValidationResult.Error("give --operation NAME, or --all")
            : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Cluster is { } cluster)
        {
            using var group = ClusterState.Open(cluster, environment.Secrets);
            if (settings.All)
            {
                var deleted = group.Forget(settings.File!);
                environment.Out.WriteLine($"deleted the group's state of {settings.File} ({deleted} row(s): history, watermarks, write ledger, rotated tokens, leases, rejects); targets that already hold data check each record before writing it");
                return ExitCodes.Ok;
            }

            return Cleared(settings, group, settings.File!, $"the group's state of {settings.File}");
        }

        var (folder, pipeline) = settings.Resolve(environment);
        if (settings.All)
        {
            var path = Path.Combine(folder, SqliteStateStore.FileName);
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            environment.Out.WriteLine($"deleted {path}; the next run starts a new one, and targets that already hold data check each record before writing it");
            return ExitCodes.Ok;
        }

        using var store = new SqliteStateStore(folder);
        return Cleared(settings, store, pipeline!, Path.Combine(folder, SqliteStateStore.FileName));
    }

    private int Cleared(Settings settings, IStateStore store, string pipeline, string where)
    {
        var previous = store.GetWatermark(pipeline, settings.Operation);
        var cleared = store.ClearWatermark(pipeline, settings.Operation);
        environment.Out.WriteLine(cleared
            ? $"cleared the watermark of '{settings.Operation}' (was {previous}); its next run starts from its 'start'"
            : $"'{settings.Operation}' has no watermark in {where}; nothing to clear");
        return ExitCodes.Ok;
    }
}
