using EtlRunner.Cli.Infrastructure;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Which lines the native <c>etl</c> hands to the JIT build it carries: those that need ASP.NET Core, Quartz's
/// scheduler or PostgreSQL, which the native executable leaves out. The hand-over itself runs in .ci/tool-smoke.sh.
/// </summary>
public sealed class JitHandoverTests
{
    [Theory]
    [InlineData("agent", "pipelines")]
    [InlineData("agent", "--help")]
    [InlineData("status")]
    [InlineData("sandbox", "constantcontact", "--port", "8089")]
    [InlineData("sandbox", "reset", "pipelines/quickstart.yaml")]
    [InlineData("run", "pipelines/quickstart.yaml", "--sandbox")]
    [InlineData("history", "--cluster", "Host=127.0.0.1")]
    [InlineData("history", "--cluster=Host=127.0.0.1")]
    [InlineData("replay", "rejects.jsonl", "--cluster:Host=127.0.0.1")]
    public void IsNeeded_ServerAgentOrSandboxOrClusterLine_HandsOver(params string[] args) =>
        Assert.True(JitHandover.IsNeeded(args), string.Join(' ', args));

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("run", "pipelines/quickstart.yaml")]
    [InlineData("run", "status.yaml")]
    [InlineData("validate", "pipelines", "examples")]
    [InlineData("history", "--state-dir", "agent")]
    [InlineData("run", "p.yaml", "--sandboxes")]
    [InlineData("run", "p.yaml", "--clusterx=1")]
    [InlineData("plan", "agent")]
    public void IsNeeded_PipelineCommandLine_StaysNative(params string[] args) =>
        Assert.False(JitHandover.IsNeeded(args), string.Join(' ', args));
}
