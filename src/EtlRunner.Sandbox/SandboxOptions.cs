namespace EtlRunner.Sandbox;

/// <summary>How a <see cref="ConstantContactSandbox"/> is started.</summary>
public sealed class SandboxOptions
{
    /// <summary>Loopback port to bind; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>SQLite file the data is loaded from and written through to; null keeps everything in memory.</summary>
    public string? DataFile { get; init; }

    /// <summary>JSON file with <c>contacts</c>, <c>lists</c> and <c>custom_fields</c> loaded when the store starts empty
    /// (an empty or new <see cref="DataFile"/> included).</summary>
    public string? SeedFile { get; init; }

    /// <summary>The same as <see cref="SeedFile"/>, given as the JSON itself; used when there is no seed file.</summary>
    public string? Seed { get; init; }

    /// <summary>Enforce the per-second and daily request limits of the real API.</summary>
    public bool RateLimit { get; init; } = true;

    public double RequestsPerSecond { get; init; } = 4;

    public int DailyRequestLimit { get; init; } = 10_000;

    /// <summary>Fault injection spec, see <see cref="FaultSpec.Parse"/>.</summary>
    public string? Faults { get; init; }

    public string AccessToken { get; init; } = SandboxDefaults.AccessToken;

    public string ClientId { get; init; } = SandboxDefaults.ClientId;

    public string ClientSecret { get; init; } = SandboxDefaults.ClientSecret;

    /// <summary>Initial refresh token; refresh tokens rotate on every use.</summary>
    public string RefreshToken { get; init; } = SandboxDefaults.RefreshToken;

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a bulk activity stays initialized/processing before it completes.</summary>
    public TimeSpan ActivityDuration { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed of the fault random generator (a <c>seed=</c> item in <see cref="Faults"/> wins).</summary>
    public int? FaultSeed { get; init; }
}
