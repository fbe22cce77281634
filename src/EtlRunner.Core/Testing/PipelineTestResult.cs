using EtlRunner.Diagnostics;

namespace EtlRunner.Testing;

/// <summary>The outcome of one pipeline unit test: passed when nothing failed.</summary>
public sealed record PipelineTestResult(string Name, string Operation, SourceLocation Location, IReadOnlyList<TestFailure> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// One way a test failed, at the expectation (or given record) it concerns. <see cref="Record"/> is the index of the
/// record at the target, <see cref="Given"/> the index of the given record it came from; <see cref="Fields"/> is
/// the field-by-field diff when a record differs.
/// </summary>
public sealed record TestFailure(SourceLocation Location, string Message)
{
    public int? Record { get; init; }

    public int? Given { get; init; }

    public IReadOnlyList<FieldDiff> Fields { get; init; } = [];
}

/// <summary>A field (or nested path, <c>email_address.address</c>, <c>lists[0]</c>) whose value differs, both as JSON text.</summary>
public sealed record FieldDiff(string Field, string Expected, string Actual);
