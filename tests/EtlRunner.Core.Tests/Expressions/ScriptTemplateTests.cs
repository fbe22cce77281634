using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;

namespace EtlRunner.Core.Tests.Expressions;

public sealed class ScriptTemplateTests
{
    [Theory]
    [InlineData("{{ record.email | string.downcase }}", false)]
    [InlineData("{{ record.n + 1 }} of {{ batch_size }}", false)]
    [InlineData("signups-{{ system.run.id }}", true)]
    [InlineData("{{ jitterbit.operation.start_time }}", true)]
    [InlineData("{{ date.now }}", true)]
    [InlineData("{{ record.email == '' ? math.uuid : record.email }}", true)]
    public void VariesBetweenRuns_ReadsTheRunTheClockOrRandomness_IsTrue(string text, bool varies)
    {
        var template = ScriptTemplate.ParseTemplate(new Located(text, new SourceLocation("p.yaml", 1, 1)), new DiagnosticBag());

        Assert.Equal(varies, template.VariesBetweenRuns);
    }
}
