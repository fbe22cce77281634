namespace EtlRunner.Connectors;

/// <summary>A value the local sandbox supplies, in place of the account's, when a pipeline runs with <c>--sandbox</c>.</summary>
public enum SandboxValue
{
    /// <summary>The sandbox's API root (<c>http://127.0.0.1:PORT/v3</c>).</summary>
    BaseUrl,

    /// <summary>The sandbox's OAuth2 token endpoint.</summary>
    TokenUrl,

    ClientId,
    ClientSecret,
    AccessToken,
    RefreshToken,
}

/// <summary>
/// The connection parameters a connector's sandbox supplies, and with what, so <c>--sandbox</c> points its
/// connections at the sandbox. Checked when the connector is registered: each names a declared connection parameter,
/// and every secret one is among them (a sandbox run never sends the account's credentials anywhere).
/// </summary>
public sealed record SandboxOverrides(IReadOnlyDictionary<string, SandboxValue> Parameters)
{
    /// <summary>The problems of these overrides for <paramref name="descriptor"/>, empty when fine.</summary>
    public IEnumerable<string> Problems(ConnectorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var declared = descriptor.ConnectionParameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in Parameters.Keys.Where(n => !declared.Contains(n)))
        {
            yield return $"the {descriptor.Type} sandbox overrides '{name}', which is not a {descriptor.Type} connection parameter (declared: {string.Join(", ", declared)})";
        }

        foreach (var secret in descriptor.ConnectionParameters.Where(p => p.Secret && !Parameters.ContainsKey(p.Name)))
        {
            yield return $"the {descriptor.Type} sandbox does not override the secret connection parameter '{secret.Name}', so a sandbox run would send the account's {secret.Name}";
        }
    }

    /// <summary>The connection's fields with the overridden ones set to <paramref name="values"/>' (<c>sandbox value → text</c>).</summary>
    public IReadOnlyDictionary<string, string> Resolve(IReadOnlyDictionary<SandboxValue, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Parameters.ToDictionary(
            p => p.Key,
            p => values.TryGetValue(p.Value, out var value) ? value : throw new InvalidOperationException($"the sandbox supplies no {p.Value} for '{p.Key}'"),
            StringComparer.Ordinal);
    }
}
