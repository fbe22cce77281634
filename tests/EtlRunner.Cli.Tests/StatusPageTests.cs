using EtlRunner.Cli.Agent;
using EtlRunner.Expressions;
using EtlRunner.Scheduling;

namespace EtlRunner.Cli.Tests;

/// <summary>The status page and status.json show what they are given HTML-encoded and with every secret masked.</summary>
public sealed class StatusPageTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static AgentStatus Status(string error) => new(
        At,
        [new AgentView("ops-1", null, At, true)],
        [],
        [],
        [new RecentRun("run-1", "p:<b>.yaml", "hourly", At, "error", At, At.AddSeconds(3), 4, 0, 3, 0, 1, error)]);

    [Fact]
    public void Html_RunErrorWithMarkupAndASecret_IsEncodedAndMasked()
    {
        var masker = new SecretMasker();
        masker.Add("s3cr3t-token");

        var page = StatusText.Html(Status("<script>alert(1)</script> token s3cr3t-token refused"), masker);
        var json = StatusJson.Write(Status("token s3cr3t-token refused"), masker);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; token *** refused", page, StringComparison.Ordinal);
        Assert.Contains("p:&lt;b&gt;.yaml", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-token", page + json, StringComparison.Ordinal);
        Assert.Contains("\"error\": \"token *** refused\"", json, StringComparison.Ordinal);
    }
}
