using EtlRunner.Connectors;
using EtlRunner.Diagnostics;

namespace EtlRunner.Core.Tests.Planning;

public sealed class ErrorFactoryTests
{
    [Fact]
    public void UnknownKey_Misspelt_SuggestsTheNearestOnly()
    {
        Assert.Equal(
            "unknown key 'tmeout' in the options of operation 'Load' (did you mean 'timeout'?)",
            LoadErrors.UnknownKey("tmeout", "the options of operation 'Load'", ["batch_size", "timeout"], hint: null));
    }

    [Fact]
    public void UnknownKey_NothingNear_ListsTheValidKeys()
    {
        Assert.Equal(
            "unknown key 'schedule' in operation 'Load'; valid keys: name, source",
            LoadErrors.UnknownKey("schedule", "operation 'Load'", ["name", "source"], hint: null));
    }

    [Fact]
    public void NoSuchConnection_NoneDeclared_SaysNone()
    {
        Assert.Equal(
            "the source of operation 'Load': no connection named 'In'; declared connections: none",
            PlanErrors.NoSuchConnection("the source of operation 'Load'", "In", []));
    }

    [Fact]
    public void WrongType_NamesTheSettingWhatItMustBeAndWhatItIs()
    {
        var spec = new ParameterSpec("batch_size", ParameterType.Integer, "Records per batch.");

        Assert.Equal(
            "the options of operation 'Load': 'batch_size' must be a whole number, not 'many'",
            PlanErrors.WrongType("the options of operation 'Load'", spec, "a whole number", "'many'"));
    }

    [Fact]
    public void ChainLoops_ShowsTheLoopClosed()
    {
        Assert.Equal(
            "the chain loops: A -> B -> A; an operation cannot run itself again through on_success / on_failure",
            ValidationErrors.ChainLoops(["A", "B"]));
    }

    [Fact]
    public void UnknownEnvironment_NoneDeclared_SaysTheFileDeclaresNone()
    {
        Assert.Equal("--environment 'prod' is not declared under 'environments' (the file declares none)", ValidationErrors.UnknownEnvironment("prod", []));
    }
}
