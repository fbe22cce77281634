using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Loading;
using EtlRunner.Model;
using EtlRunner.Planning;

namespace EtlRunner.Validation;

/// <summary>Loads and validates a file in one go, so every problem (shape and meaning) is reported at once.</summary>
public static class PipelineCheck
{
    public static (PipelineDefinition? Pipeline, IReadOnlyList<Diagnostic> Problems) File(
        string path, ConnectorRegistry registry, VariableInputs inputs, SecretMasker masker, bool requireValues)
    {
        var loaded = new PipelineLoader(registry).LoadFile(path);
        if (loaded.Pipeline is null)
        {
            return (null, loaded.Diagnostics);
        }

        var compiled = new PipelineCompiler(registry).Compile(loaded.Pipeline, inputs, masker, requireValues ? CompileMode.Run : CompileMode.Check);
        var problems = loaded.Diagnostics.Concat(compiled.Diagnostics)
            .Distinct()
            .OrderBy(d => d.Location.File, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ThenBy(d => d.Location.Column)
            .ToList();
        return (loaded.Pipeline, problems);
    }
}
