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

        public override Spectre.Console.ValidationResult Validate() =>
            File is null ? Spectre.Console.ValidationResult.Error("give the pipeline FILE")
            : Operation.Length == 0 ? Spectre.Console.ValidationResult.Error("give --operation NAME")
            : base.Validate();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (folder, pipeline) = settings.Resolve(environment);
        using var store = new SqliteStateStore(folder);
        var previous = store.GetWatermark(pipeline!, settings.Operation);
        var cleared = store.ClearWatermark(pipeline!, settings.Operation);
        environment.Out.WriteLine(cleared
            ? $"cleared the watermark of '{settings.Operation}' (was {previous}); its next run starts from its 'start'"
            : $"'{settings.Operation}' has no watermark in {Path.Combine(folder, SqliteStateStore.FileName)}; nothing to clear");
        return ExitCodes.Ok;
    }
}
