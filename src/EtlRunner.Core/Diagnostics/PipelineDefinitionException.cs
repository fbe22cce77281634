namespace EtlRunner.Diagnostics;

/// <summary>The pipeline file cannot be used; carries every problem found.</summary>
public sealed class PipelineDefinitionException : Exception
{
    public PipelineDefinitionException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
