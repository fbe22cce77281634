using EtlRunner.Execution;

namespace EtlRunner.State;

/// <summary>
/// The state folder of a pipeline and what lies in it: <c>.etl</c> beside the pipeline file (<c>.etl/sandbox</c> for
/// runs with <c>--sandbox</c>), or the folder <c>--state-dir</c> names; in it the state database, the rejects files
/// (<c>rejects/RUN/OPERATION.jsonl</c>), the run locks (<c>locks/PIPELINE.lock</c>) and the sandboxes' data
/// (<c>sandbox-data/PIPELINE.db</c>).
/// </summary>
public sealed record StateLayout
{
    public const string FolderName = ".etl";
    private const string SandboxFolderName = "sandbox";
    private const string RejectsFolderName = "rejects";
    private const string LocksFolderName = "locks";
    private const string SandboxDataFolderName = "sandbox-data";

    private StateLayout(string folder)
    {
        Folder = folder;
    }

    /// <summary>The state folder, a full path without a trailing separator.</summary>
    public string Folder { get; }

    /// <summary>The folder <paramref name="stateDirectory"/> (<c>--state-dir</c>) when given, else the one beside the pipeline.</summary>
    public static StateLayout For(string pipelineDirectory, string? stateDirectory, bool sandbox) =>
        In(stateDirectory ?? (sandbox
            ? Path.Combine(pipelineDirectory, FolderName, SandboxFolderName)
            : Path.Combine(pipelineDirectory, FolderName)));

    /// <summary>The layout of the state folder <paramref name="folder"/>.</summary>
    public static StateLayout In(string folder) => new(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The state folder a rejects file lies in (<c>FOLDER/rejects/RUN/OPERATION.jsonl</c>); null when it lies elsewhere.</summary>
    public static StateLayout? OfRejectsFile(string rejectsFile)
    {
        var rejects = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(rejectsFile)));
        return rejects is not null && Path.GetFileName(rejects) == RejectsFolderName && Path.GetDirectoryName(rejects) is { } folder
            ? In(folder)
            : null;
    }

    /// <summary>The rejects file of an operation in a run.</summary>
    public string RejectsFile(string runId, string operation) =>
        Path.Combine(Folder, RejectsFolderName, runId, RunContextNames.RejectsFileName(operation));

    /// <summary>The lock a run of the pipeline holds while it runs.</summary>
    public string RunLockFile(string pipelineFile) => Path.Combine(Folder, LocksFolderName, PipelineName(pipelineFile) + ".lock");

    /// <summary>Where the sandbox of <c>--sandbox</c> keeps the pipeline's data between runs (sandbox data only, never a credential).</summary>
    public string SandboxDataFile(string pipelineFile) => Path.Combine(Folder, SandboxDataFolderName, PipelineName(pipelineFile) + ".db");

    private static string PipelineName(string pipelineFile) => RunContextNames.Slug(Path.GetFileNameWithoutExtension(pipelineFile));
}
