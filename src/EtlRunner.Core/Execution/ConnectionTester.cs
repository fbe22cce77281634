using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;

namespace EtlRunner.Execution;

/// <summary>The result of testing one connection.</summary>
public sealed record ConnectionTestOutcome(string Connection, string Type, bool Success, string Message);

/// <summary>The fields an operation's source will give, against the fields its transforms read.</summary>
public sealed record FieldsTestOutcome(string Operation, bool Success, string Message);

/// <summary>The Test button for every connection of a pipeline (<c>etl test</c>).</summary>
public sealed class ConnectionTester(ConnectorRegistry registry)
{
    public async Task<IReadOnlyList<ConnectionTestOutcome>> TestAsync(
        PipelineDefinition pipeline,
        RunOptions options,
        string? only,
        CancellationToken cancellationToken)
    {
        var compiled = Compile(pipeline, options);
        var scope = compiled.Scope(compiled.System with { RunId = "test", RunStartTime = options.TimeProvider.GetUtcNow(), TimeProvider = options.TimeProvider });
        var outcomes = new List<ConnectionTestOutcome>();
        await using var resources = new RunResources();
        var run = new RunContext(pipeline, options, "test", resources);
        foreach (var connection in pipeline.Connections.Where(c => only is null || c.Name.Value == only))
        {
            // A connection only written to is tested as its target: can the file or database be created there?
            var name = connection.Name.Value;
            var target = compiled.Plans.Any(p => p.Source.Connection.Name.Value == name) ? null : compiled.Plans.FirstOrDefault(p => p.Target.Connection.Name.Value == name);
            outcomes.Add(await TestOneAsync(connection, target, scope, run, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    /// <summary>For each operation: the fields its source says its records have, and whether the transforms read only those.</summary>
    public async Task<IReadOnlyList<FieldsTestOutcome>> TestFieldsAsync(PipelineDefinition pipeline, RunOptions options, CancellationToken cancellationToken)
    {
        var compiled = Compile(pipeline, options);
        await using var resources = new RunResources();
        var run = new RunContext(pipeline, options, "test", resources);
        var outcomes = new List<FieldsTestOutcome>();
        foreach (var plan in compiled.Plans)
        {
            var used = plan.Transform.FieldsUsed();
            var reads = used.Count == 0 ? "the transforms read no field" : "the transforms read " + string.Join(", ", used);
            var (shape, unknown) = await SourceShapes.DiscoverAsync(plan, run, cancellationToken).ConfigureAwait(false);
            if (shape is null)
            {
                outcomes.Add(new FieldsTestOutcome(plan.Name, true, $"fields not known before reading ({unknown}); {reads}"));
                continue;
            }

            var diagnostics = new DiagnosticBag();
            FieldCheck.Check(plan.Definition, plan.Transform, plan.Target, shape, diagnostics);
            outcomes.Add(diagnostics.HasErrors
                ? new FieldsTestOutcome(plan.Name, false, run.Masker.Apply(string.Join("; ", diagnostics.Items)))
                : new FieldsTestOutcome(plan.Name, true, $"{shape.Description} has {string.Join(", ", shape.Names)}; {reads}"));
        }

        return outcomes;
    }

    private CompiledPipeline Compile(PipelineDefinition pipeline, RunOptions options) =>
        new PipelineCompiler(registry).Compile(pipeline, options.Variables, options.Masker, CompileMode.Check);

    private async Task<ConnectionTestOutcome> TestOneAsync(ConnectionDefinition connection, OperationPlan? target, VariableScope scope, RunContext run, CancellationToken cancellationToken)
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
        if (target is not null)
        {
            context = new ActivityContext(target.Name, target.Target.Kind, target.Target.ActivitySettings, context);
        }

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
