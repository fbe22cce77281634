using EtlRunner.Connectors;
using EtlRunner.Connectors.ConstantContact;

namespace EtlRunner;

/// <summary>Registers the <c>constantcontact</c> connector.</summary>
public static class ConstantContactConnectorRegistryExtensions
{
    public static ConnectorRegistry AddConstantContact(this ConnectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new ConstantContactConnector());
    }
}
