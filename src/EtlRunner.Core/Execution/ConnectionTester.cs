using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Validation;

namespace EtlRunner.Execution;

/// <summary>The result of testing one connection.</summary>
public sealed record ConnectionTestOutcome(string Connection, string Type, bool Success, string Message);

/// <summary>The Test button for every connection of a pipeline (<c>etl test</c>).</summary>
public sealed class ConnectionTester(ConnectorRegistry registry)
{
    public async Task<IReadOnlyList<ConnectionTestOutcome>> TestAsync(
        PipelineDefinition pipeline,
        RunOptions options,
        string? only,
        CancellationToken cancellationToken)
    {
        var masker = options.Masker;
        var validation = new PipelineValidator(registry).Validate(pipeline, options.Variables, masker, requireValues: false);
        var system = new SystemVariables
        {
            ProjectName = pipeline.Project.Value,
            EnvironmentName = options.Variables.Environment ?? "default",
            RunId = "test",
            RunStartTime = options.TimeProvider.GetUtcNow(),
            TimeProvider = options.TimeProvider,
        };
        var scope = new VariableScope(new Dictionary<string, object?>(), validation.Variables, system);
        var outcomes = new List<ConnectionTestOutcome>();
        await using var resources = new RunResources();
        var run = new RunContext(pipeline, options, "test", resources);
        foreach (var connection in pipeline.Connections.Where(c => only is null || c.Name.Value == only))
        {
            outcomes.Add(await TestOneAsync(connection, scope, run, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    private async Task<ConnectionTestOutcome> TestOneAsync(ConnectionDefinition connection, VariableScope scope, RunContext run, CancellationToken cancellationToken)
    {
        var name = connection.Name.Value;
        var type = connection.Type.Value;
        if (!registry.TryGet(type, out var connector))
        {
            return new ConnectionTestOutcome(name, type, false, $"unknown connector type '{type}'");
        }

        var diagnostics = new DiagnosticBag();
        var settings = new SettingsBinder(scope, Path.GetDirectoryName(Path.GetFullPath(connection.Location.File)) ?? ".", run.Masker)
            .Bind(connector.Descriptor.ConnectionParameters, connection.Fields, connection.Location, $"connection '{name}'", diagnostics);
        if (diagnostics.HasErrors)
        {
            return new ConnectionTestOutcome(name, type, false, run.Masker.Apply(string.Join("; ", diagnostics.Items.Select(d => d.Message))));
        }

        var context = new ConnectionContext(name, settings, run.ContextResources, run.ConnectorState(name))
        {
            TimeProvider = run.Options.TimeProvider,
            Masker = run.Masker,
        };
        try
        {
            var result = await connector.TestAsync(context, cancellationToken).ConfigureAwait(false);
            return new ConnectionTestOutcome(name, type, result.Success, run.Masker.Apply(result.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ConnectionTestOutcome(name, type, false, run.Masker.Apply(ex.Message));
        }
    }
}
