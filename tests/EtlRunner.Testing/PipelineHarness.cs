using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;
using EtlRunner.Loading;
using EtlRunner.Model;
using EtlRunner.Validation;

namespace EtlRunner.Testing;

/// <summary>Loads, validates and runs pipeline YAML written into a temp folder, with the memory connector registered.</summary>
public sealed class PipelineHarness : IDisposable
{
    public PipelineHarness(params IConnector[] extra)
    {
        Registry = new ConnectorRegistry().Add(Memory);
        foreach (var connector in extra)
        {
            Registry.Add(connector);
        }
    }

    public TempFolder Folder { get; } = new();

    public MemoryConnector Memory { get; } = new();

    public ConnectorRegistry Registry { get; }

    public string WriteFile(string yaml, string name = "pipeline.yaml") => Folder.Write(name, yaml);

    public LoadResult Load(string yaml, string name = "pipeline.yaml") => new PipelineLoader(Registry).LoadFile(WriteFile(yaml, name));

    public PipelineDefinition LoadValid(string yaml)
    {
        var result = Load(yaml);
        Assert(result.Diagnostics.Count == 0, "expected no problems, got: " + string.Join(Environment.NewLine, result.Diagnostics));
        return result.Pipeline!;
    }

    /// <summary>Every problem: loading and validation.</summary>
    public IReadOnlyList<Diagnostic> Problems(string yaml, VariableInputs? inputs = null, bool requireValues = true)
    {
        return PipelineCheck.File(WriteFile(yaml), Registry, inputs ?? NoEnvironment, new SecretMasker(), requireValues).Problems;
    }

    public Task<RunReport> RunAsync(string yaml, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pipeline = LoadValid(yaml);
        options ??= new RunOptions();
        if (ReferenceEquals(options.Variables, VariableInputs.None))
        {
            options = options with { Variables = NoEnvironment };
        }

        return new PipelineRunner(Registry).RunAsync(pipeline, options, cancellationToken);
    }

    /// <summary>Variable inputs that do not read the real process environment.</summary>
    public static VariableInputs NoEnvironment { get; } = new() { EnvironmentVariable = _ => null };

    public void Dispose() => Folder.Dispose();

    private static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
