namespace EtlRunner.Sandbox;

/// <summary>Credentials the sandbox accepts unless <see cref="SandboxOptions"/> says otherwise.</summary>
public static class SandboxDefaults
{
    public const string AccessToken = "sandbox-access-token";
    public const string ClientId = "sandbox-client-id";
    public const string ClientSecret = "sandbox-client-secret";
    public const string RefreshToken = "sandbox-refresh-token";

    /// <summary>Seed of the fault random generator when neither the fault spec nor the options give one.</summary>
    public const int FaultSeed = 12345;
}
