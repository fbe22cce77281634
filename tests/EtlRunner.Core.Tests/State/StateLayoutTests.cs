using EtlRunner.State;

namespace EtlRunner.Core.Tests.State;

public sealed class StateLayoutTests
{
    private static readonly string Pipelines = Path.Combine(Path.GetTempPath(), "team", "pipelines");

    [Fact]
    public void For_NoStateDir_IsEtlBesideThePipeline_AndEtlSandboxForSandboxRuns()
    {
        Assert.Equal(Path.Combine(Pipelines, ".etl"), StateLayout.For(Pipelines, null, sandbox: false).Folder);
        Assert.Equal(Path.Combine(Pipelines, ".etl", "sandbox"), StateLayout.For(Pipelines, null, sandbox: true).Folder);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "state"), StateLayout.For(Pipelines, Path.Combine(Path.GetTempPath(), "state") + Path.DirectorySeparatorChar, sandbox: true).Folder);
    }

    [Fact]
    public void RejectsFile_LiesInItsRunsFolder_AndLeadsBackToItsStateFolder()
    {
        var layout = StateLayout.For(Pipelines, null, sandbox: true);

        var rejects = layout.RejectsFile("20261202T080000Z-1a2b3c", "Load signups");

        Assert.Equal(Path.Combine(Pipelines, ".etl", "sandbox", "rejects", "20261202T080000Z-1a2b3c", "Load_signups.jsonl"), rejects);
        Assert.Equal(layout, StateLayout.OfRejectsFile(rejects));
        Assert.Null(StateLayout.OfRejectsFile(Path.Combine(Pipelines, "elsewhere", "run", "Load_signups.jsonl")));
    }

    [Fact]
    public void PipelineFiles_AreNamedAfterThePipelineFile()
    {
        var layout = StateLayout.For(Pipelines, null, sandbox: true);
        var pipeline = Path.Combine(Pipelines, "contact export.yaml");

        Assert.Equal(Path.Combine(layout.Folder, "locks", "contact_export.lock"), layout.RunLockFile(pipeline));
        Assert.Equal(Path.Combine(layout.Folder, "sandbox-data", "contact_export.db"), layout.SandboxDataFile(pipeline));
    }
}
