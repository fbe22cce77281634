using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.Schema;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl schema</c>: print the JSON schema of the pipeline file (stdout carries only the JSON).</summary>
internal sealed class SchemaCommand(CliEnvironment environment) : Command<SchemaCommand.Settings>
{
    public sealed class Settings : GlobalSettings
    {
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        environment.Out.Write(PipelineSchema.Generate(environment.Connectors()));
        environment.Out.Flush();
        return ExitCodes.Ok;
    }
}
