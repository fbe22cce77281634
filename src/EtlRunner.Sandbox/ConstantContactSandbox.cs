using EtlRunner.Sandbox.Activities;
using EtlRunner.Sandbox.Auth;
using EtlRunner.Sandbox.Hosting;
using EtlRunner.Sandbox.Model;
using EtlRunner.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EtlRunner.Sandbox;

/// <summary>
/// A local stand-in for Constant Contact's V3 API (contacts, lists, custom fields, bulk activities and the OAuth
/// token endpoint) served by Kestrel on 127.0.0.1. Start one with <see cref="StartAsync"/>; dispose to stop it.
/// </summary>
public sealed class ConstantContactSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxState _state;
    private readonly IPersistence _persistence;
    private readonly TokenService _tokens;
    private int _disposed;

    private ConstantContactSandbox(
        WebApplication app, SandboxState state, IPersistence persistence, TokenService tokens, SandboxStats stats, Uri root)
    {
        _app = app;
        _state = state;
        _persistence = persistence;
        _tokens = tokens;
        Stats = stats;
        Store = new SandboxStore(state);
        BaseUrl = new Uri(root, "/v3");
        TokenUrl = new Uri(root, TokenEndpoint.Path);
    }

    /// <summary>The API root, e.g. http://127.0.0.1:54321/v3 (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The OAuth token endpoint, e.g. http://127.0.0.1:54321/oauth2/default/v1/token.</summary>
    public Uri TokenUrl { get; }

    /// <summary>The access token issued last (valid unless expired).</summary>
    public string AccessToken => _tokens.AccessToken;

    /// <summary>The refresh token that currently works (it rotates on every refresh).</summary>
    public string RefreshToken => _tokens.RefreshToken;

    public SandboxStats Stats { get; }

    public SandboxStore Store { get; }

    /// <summary>Starts the sandbox. Throws <see cref="FormatException"/> for a bad fault spec and
    /// <see cref="InvalidDataException"/> for a bad seed file.</summary>
    public static async Task<ConstantContactSandbox> StartAsync(SandboxOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var faults = string.IsNullOrWhiteSpace(options.Faults) ? FaultSpec.None : FaultSpec.Parse(options.Faults);
        IPersistence persistence = options.DataFile is { Length: > 0 } file ? new SqlitePersistence(file) : new MemoryPersistence();
        try
        {
            var state = new SandboxState(persistence, options.TimeProvider);
            var engine = new ActivityEngine(state, options.ActivityDuration);
            if (state.IsEmpty && options.SeedFile is { Length: > 0 } seedFile)
            {
                SeedLoader.Load(state, File.ReadAllText(seedFile), $"Seed file {seedFile}");
            }
            else if (state.IsEmpty && options.Seed is { } seed)
            {
                SeedLoader.Load(state, seed, "The seed");
            }

            var tokens = new TokenService(options);
            var stats = new SandboxStats();
            var app = SandboxHost.Build(options, state, engine, tokens, stats, faults);
            try
            {
                await app.StartAsync(ct);
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.First();
            return new ConstantContactSandbox(app, state, persistence, tokens, stats, new Uri(address));
        }
        catch
        {
            persistence.Dispose();
            throw;
        }
    }

    /// <summary>Test hook: every access token issued so far now answers 401; refreshing still works.</summary>
    public void ExpireAccessToken() => _tokens.ExpireAll();

    /// <summary>Stops Kestrel and closes the data file (every change was already written through).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            _state.Read(() => 0);
            _persistence.Dispose();
        }
    }
}
