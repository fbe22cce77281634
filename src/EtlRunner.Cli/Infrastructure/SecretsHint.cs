using EtlRunner.Cli.Commands;
using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// When secret variables have no value, one line on how to provide them, and, for a pipeline that talks to
/// a connector the sandbox stands in for (Constant Contact), that <c>--sandbox</c> runs it without any.
/// </summary>
internal static class SecretsHint
{
    public static void Write(CliEnvironment environment, ConnectorRegistry registry, PipelineDefinition pipeline, VariableInputs inputs, PipelineSettings settings)
    {
        if (settings is FileCommandSettings { Sandbox: true } || settings.Quiet)
        {
            return;
        }

        var missing = ProjectVariables.Resolve(pipeline, inputs, new DiagnosticBag()).All.Where(v => v.Secret && !v.HasValue).Select(v => v.Name).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", missing.Select(VariableInputs.EnvironmentVariableName));
        var sandbox = pipeline.Connections.Any(c => registry.TryGet(c.Type.Value, out var connector) && connector.Descriptor.Sandbox is not null)
            ? "; or add --sandbox to run it against a local Constant Contact sandbox, which needs no credentials"
            : string.Empty;
        environment.Error.WriteLine($"hint: {missing.Count} secret variable(s) have no value ({string.Join(", ", missing)}): set the environment variable(s) {names}, put NAME=value lines in a file given with --env-file FILE (kept out of git), or pass --var NAME=VALUE{sandbox}.");
    }
}
