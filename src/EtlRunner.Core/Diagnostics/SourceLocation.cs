namespace EtlRunner.Diagnostics;

/// <summary>A place in a pipeline file: <c>pipelines/x.yaml:12:9</c>.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation None { get; } = new(string.Empty, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;

    /// <summary>The location <paramref name="offset"/> characters further on the same line (inside a scalar).</summary>
    public SourceLocation Shift(int offset) => this with { Column = Column + offset };
}
