using EtlRunner.Connectors;
using EtlRunner.Core.Tests.Schema;

namespace EtlRunner.Core.Tests.Registration;

public sealed class SandboxOverridesTests
{
    private static ConnectorDescriptor Api(SandboxOverrides overrides) => new(
        "api",
        "An API.",
        [
            new ParameterSpec("base_url", ParameterType.String, "The root."),
            new ParameterSpec("token", ParameterType.String, "The token.") { Secret = true },
        ],
        [new ActivitySpec(ActivityKind.Query, "Reads.", [])])
    {
        Sandbox = overrides,
    };

    [Fact]
    public void Register_OverrideOfAnUndeclaredParameter_IsRefusedNamingIt()
    {
        // Given: the connection parameter was renamed (url → base_url) but the overrides were not
        var renamed = Api(new(new Dictionary<string, SandboxValue> { ["url"] = SandboxValue.BaseUrl, ["token"] = SandboxValue.AccessToken }));

        // When
        var refused = Assert.Throws<InvalidOperationException>(() => DescriptorConnector.Registry(renamed));

        // Then
        Assert.Equal("The api connector cannot be registered: the api sandbox overrides 'url', which is not a api connection parameter (declared: base_url, token).", refused.Message);
    }

    [Fact]
    public void Register_SecretParameterNotOverridden_IsRefused()
    {
        var leaky = Api(new(new Dictionary<string, SandboxValue> { ["base_url"] = SandboxValue.BaseUrl }));

        var refused = Assert.Throws<InvalidOperationException>(() => DescriptorConnector.Registry(leaky));

        Assert.Contains("does not override the secret connection parameter 'token'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EveryOverride_GetsTheSandboxValue()
    {
        var overrides = new SandboxOverrides(new Dictionary<string, SandboxValue> { ["base_url"] = SandboxValue.BaseUrl, ["token"] = SandboxValue.AccessToken });
        DescriptorConnector.Registry(Api(overrides));

        var fields = overrides.Resolve(new Dictionary<SandboxValue, string> { [SandboxValue.BaseUrl] = "http://127.0.0.1:1/v3", [SandboxValue.AccessToken] = "sandbox-token" });

        Assert.Equal(new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:1/v3", ["token"] = "sandbox-token" }, fields);
    }
}
