using EtlRunner.Model;
using EtlRunner.Sandbox;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// <c>--sandbox</c>: starts a Constant Contact sandbox in-process on a free loopback port and points every
/// <c>constantcontact</c> connection of the pipeline at it, with the sandbox's credentials.
/// </summary>
internal sealed class SandboxSwitch : IAsyncDisposable
{
    public const string Type = "constantcontact";

    private SandboxSwitch(ConstantContactSandbox sandbox)
    {
        Sandbox = sandbox;
    }

    public ConstantContactSandbox Sandbox { get; }

    public static async Task<SandboxSwitch> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { Seed = DefaultSeed, TimeProvider = time }, cancellationToken);
        return new SandboxSwitch(sandbox);
    }

    /// <summary>What every sandbox starts with: the Newsletter list, a custom field and a dozen demo contacts (two unsubscribed).</summary>
    public static string DefaultSeed
    {
        get
        {
            using var stream = typeof(SandboxSwitch).Assembly.GetManifestResourceStream("EtlRunner.Cli.SandboxSeed.json")
                ?? throw new InvalidOperationException("the sandbox seed is missing from the build");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>The pipeline with every constantcontact connection's URL and credentials replaced by the sandbox's.</summary>
    public PipelineDefinition Apply(PipelineDefinition pipeline)
    {
        var connections = pipeline.Connections.Select(connection =>
        {
            if (connection.Type.Value != Type)
            {
                return connection;
            }

            var fields = new Dictionary<string, FieldValue>(connection.Fields, StringComparer.Ordinal);
            void Set(string name, string value) => fields[name] = new FieldValue(value, fields.TryGetValue(name, out var old) ? old.Location : connection.Location);
            Set("base_url", Sandbox.BaseUrl.ToString().TrimEnd('/'));
            Set("token_url", Sandbox.TokenUrl.ToString());
            Set("api_key", SandboxDefaults.ClientId);
            Set("client_secret", SandboxDefaults.ClientSecret);
            Set("access_token", Sandbox.AccessToken);
            Set("refresh_token", Sandbox.RefreshToken);
            return connection with { Fields = fields };
        }).ToList();
        return pipeline with { Connections = connections };
    }

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
}
