using EtlRunner.Connectors;
using EtlRunner.Model;
using EtlRunner.Sandbox;
using EtlRunner.State;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// <c>--sandbox</c>: starts a Constant Contact sandbox in-process on a free loopback port, keeping its data in the
/// pipeline's state folder (<see cref="StateLayout.SandboxDataFile"/>) so the next run sees the same contacts, and
/// points every connection whose connector declares <see cref="ConnectorDescriptor.Sandbox"/> overrides at it.
/// </summary>
internal sealed class SandboxSwitch : IAsyncDisposable
{
    private readonly LockFile _lock;

    private SandboxSwitch(ConstantContactSandbox sandbox, LockFile held)
    {
        Sandbox = sandbox;
        _lock = held;
    }

    public ConstantContactSandbox Sandbox { get; }

    /// <summary>Starts the sandbox on <paramref name="dataFile"/> (seeded when new), held by this process until disposed.</summary>
    /// <exception cref="RunLockedException">Another process uses that sandbox data.</exception>
    public static async Task<SandboxSwitch> StartAsync(string dataFile, TimeProvider time, CancellationToken cancellationToken)
    {
#if ETL_NATIVE
        // The native build hands every --sandbox line to the JIT build (JitHandover): ASP.NET Core is not compiled in.
        await Task.CompletedTask;
        throw new System.Diagnostics.UnreachableException("--sandbox is handed to the JIT build before the line is parsed");
#else
        Directory.CreateDirectory(Path.GetDirectoryName(dataFile)!);
        var held = LockFile.TryAcquire(dataFile + ".lock", $"process {Environment.ProcessId}", out var holder)
            ?? throw new RunLockedException($"the sandbox data {dataFile} is in use by another run ({holder}); runs of one pipeline are not interleaved. Wait for it to finish, or stop it.");
        try
        {
            var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { DataFile = dataFile, Seed = DefaultSeed, TimeProvider = time }, cancellationToken);
            return new SandboxSwitch(sandbox, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
#endif
    }

    /// <summary>Deletes the sandbox data at <paramref name="dataFile"/>; the files deleted (none when there was none).</summary>
    /// <exception cref="RunLockedException">A run uses that sandbox data now.</exception>
    public static IReadOnlyList<string> Reset(string dataFile)
    {
        if (!Directory.Exists(Path.GetDirectoryName(dataFile)))
        {
            return [];
        }

        using var held = LockFile.TryAcquire(dataFile + ".lock", $"process {Environment.ProcessId}", out var holder)
            ?? throw new RunLockedException($"the sandbox data {dataFile} is in use by a run ({holder}); reset it when the run has finished.");
        var deleted = new[] { dataFile, dataFile + "-wal", dataFile + "-shm" }.Where(File.Exists).ToList();
        deleted.ForEach(File.Delete);
        return deleted;
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

    /// <summary>The pipeline with the fields each connector's sandbox overrides set to the sandbox's values.</summary>
    public PipelineDefinition Apply(PipelineDefinition pipeline, ConnectorRegistry registry)
    {
        var values = new Dictionary<SandboxValue, string>
        {
            [SandboxValue.BaseUrl] = Sandbox.BaseUrl.ToString().TrimEnd('/'),
            [SandboxValue.TokenUrl] = Sandbox.TokenUrl.ToString(),
            [SandboxValue.ClientId] = SandboxDefaults.ClientId,
            [SandboxValue.ClientSecret] = SandboxDefaults.ClientSecret,
            [SandboxValue.AccessToken] = Sandbox.AccessToken,
            [SandboxValue.RefreshToken] = Sandbox.RefreshToken,
        };
        var connections = pipeline.Connections.Select(connection =>
        {
            if (!registry.TryGet(connection.Type.Value, out var connector) || connector.Descriptor.Sandbox is not { } overrides)
            {
                return connection;
            }

            var fields = new Dictionary<string, FieldValue>(connection.Fields, StringComparer.Ordinal);
            foreach (var (name, value) in overrides.Resolve(values))
            {
                fields[name] = new FieldValue(value, fields.TryGetValue(name, out var old) ? old.Location : connection.Location);
            }

            return connection with { Fields = fields };
        }).ToList();
        return pipeline with { Connections = connections };
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        _lock.Dispose();
    }
}
