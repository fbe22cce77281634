namespace EtlRunner.Sandbox.Tests;

public sealed class FaultSpecTests
{
    [Fact]
    public void Parse_FullSpec_ReadsEveryItem()
    {
        var spec = FaultSpec.Parse("500=0.05, 503=0.03,429=0.02,timeout=0.01,cut=0.01,malformed=1%,seed=42,after=3,delay=40s");

        Assert.Equal(0.05, spec.Rates[FaultKind.InternalServerError]);
        Assert.Equal(0.03, spec.Rates[FaultKind.ServiceUnavailable]);
        Assert.Equal(0.02, spec.Rates[FaultKind.Throttled]);
        Assert.Equal(0.01, spec.Rates[FaultKind.Timeout]);
        Assert.Equal(0.01, spec.Rates[FaultKind.Cut]);
        Assert.Equal(0.01, spec.Rates[FaultKind.Malformed], 10);
        Assert.Equal(42, spec.Seed);
        Assert.Equal(3, spec.After);
        Assert.Equal(TimeSpan.FromSeconds(40), spec.TimeoutDelay);
        Assert.False(spec.IsEmpty);
    }

    [Fact]
    public void Parse_Defaults_And_RoundTrip()
    {
        var empty = FaultSpec.Parse("");
        var spec = FaultSpec.Parse("cut=0.5,delay=250ms");

        Assert.True(empty.IsEmpty);
        Assert.Equal(TimeSpan.FromSeconds(100), empty.TimeoutDelay);
        Assert.Null(empty.Seed);
        Assert.Equal(TimeSpan.FromMilliseconds(250), spec.TimeoutDelay);
        Assert.Equal(spec.ToString(), FaultSpec.Parse(spec.ToString()).ToString());
    }

    [Theory]
    [InlineData("500", "key=value")]
    [InlineData("500=lots", "500")]
    [InlineData("503=1.5", "503")]
    [InlineData("418=0.1", "Unknown fault spec key '418'")]
    [InlineData("500=0.6,503=0.6", "add up")]
    [InlineData("delay=soon", "delay")]
    [InlineData("after=-1", "after")]
    [InlineData("seed=x", "seed")]
    [InlineData("cut=0.1,cut=0.2", "more than once")]
    public void Parse_BadInput_ThrowsFormatExceptionWithClearMessage(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => FaultSpec.Parse(text));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WithBadFaultSpec_Throws()
    {
        await Assert.ThrowsAsync<FormatException>(() => ConstantContactSandbox.StartAsync(new SandboxOptions { Faults = "500=2" }));
    }
}
