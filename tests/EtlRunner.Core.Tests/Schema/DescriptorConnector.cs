using EtlRunner.Connectors;

namespace EtlRunner.Core.Tests.Schema;

/// <summary>A connector that only describes itself, for schema and docs generation tests.</summary>
internal sealed class DescriptorConnector(ConnectorDescriptor descriptor) : IConnector
{
    public ConnectorDescriptor Descriptor { get; } = descriptor;

    public static ConnectorRegistry Registry(params ConnectorDescriptor[] descriptors)
    {
        var registry = new ConnectorRegistry();
        foreach (var descriptor in descriptors)
        {
            registry.Add(new DescriptorConnector(descriptor));
        }

        return registry;
    }

    /// <summary>
    /// Two connectors that share the <c>create</c> parameter <c>mode</c> with different values and defaults; beta also
    /// declares a target activity of its own, <c>archive</c>.
    /// </summary>
    public static ConnectorRegistry AlphaAndBeta() => Registry(
        new ConnectorDescriptor(
            "alpha",
            "Alpha files.",
            [
                new ParameterSpec("file", ParameterType.Path, "The alpha file.") { Required = true },
                new ParameterSpec("retries", ParameterType.Integer, "Retries per write.") { Default = 3L, Minimum = 0, Maximum = 10 },
                new ParameterSpec("token", ParameterType.String, "The alpha token.") { Secret = true },
            ],
            [
                new ActivitySpec(ActivityKind.Query, "Reads alpha.", []),
                new ActivitySpec(ActivityKind.Create, "Writes alpha.",
                [
                    new ParameterSpec("mode", ParameterType.String, "Alpha write mode.") { Default = "overwrite", AllowedValues = ["overwrite", "append"] },
                    new ParameterSpec("verify", ParameterType.Boolean, "Read back after writing.") { Default = false },
                ]),
            ]),
        new ConnectorDescriptor(
            "beta",
            "Beta service.",
            [new ParameterSpec("url", ParameterType.String, "The beta URL.") { Required = true }],
            [
                new ActivitySpec(ActivityKind.Query, "Reads beta.", [new ParameterSpec("fields", ParameterType.StringList, "Fields to read.")]),
                new ActivitySpec(ActivityKind.Create, "Writes beta.",
                [
                    new ParameterSpec("mode", ParameterType.String, "Beta write mode.") { Default = "single", AllowedValues = ["single", "bulk"] },
                    new ParameterSpec("rate", ParameterType.Number, "Requests per second.") { Required = true },
                ]),
                new ActivitySpec(ActivityKind.Delete, "Deletes beta.", [new ParameterSpec("filter", ParameterType.Map, "Which records.")]),
                new ActivitySpec(ActivityKind.Target("archive"), "Archives beta.", [new ParameterSpec("folder", ParameterType.String, "Where to.") { Required = true }]),
            ]));

    public ISource CreateSource(ActivityContext context) => throw new NotSupportedException();

    public ISink CreateSink(ActivityContext context) => throw new NotSupportedException();

    public Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
}
