using Spectre.Console.Cli;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// What the native build registers for the commands it hands to the JIT build (<see cref="JitHandover"/>), so that
/// <c>etl --help</c> lists them with their descriptions and examples; a line naming one never gets here.
/// </summary>
internal sealed class HandedOverCommand : Command<EmptyCommandSettings>
{
    public override int Execute(CommandContext context, EmptyCommandSettings settings, CancellationToken cancellationToken) =>
        throw new System.Diagnostics.UnreachableException($"etl {context.Name} is handed to the JIT build before the line is parsed");
}
