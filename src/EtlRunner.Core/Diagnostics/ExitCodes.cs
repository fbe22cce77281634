namespace EtlRunner.Diagnostics;

/// <summary>The exit codes of <c>etl</c>, fixed so scripts and CI can rely on them.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Ok = 0;

    /// <summary>An operation failed, or a connection test failed.</summary>
    public const int OperationFailed = 1;

    /// <summary>The pipeline file is invalid (or the command line is).</summary>
    public const int InvalidPipeline = 2;

    /// <summary>The run was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
