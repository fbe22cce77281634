namespace EtlRunner.Connectors.Tests.Support;

/// <summary>Collects what a source reports: rejected reads and progress.</summary>
public sealed class RecordingSourceContext : ISourceContext
{
    public List<(string Origin, string RawText, string Reason)> Rejects { get; } = [];

    public List<(long Position, long? Total)> Progress { get; } = [];

    public void RejectRead(string origin, string rawText, string reason) => Rejects.Add((origin, rawText, reason));

    public void ReportProgress(long position, long? total) => Progress.Add((position, total));

    public void ReportWaiting(string? reason)
    {
    }
}

public sealed class NullSinkContext : ISinkContext
{
    public static NullSinkContext Instance { get; } = new();

    public void ReportWaiting(string? reason)
    {
    }
}
