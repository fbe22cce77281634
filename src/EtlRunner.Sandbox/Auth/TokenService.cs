using System.Security.Cryptography;
using System.Text;

namespace EtlRunner.Sandbox.Auth;

/// <summary>
/// Access tokens (valid until their lifetime ends on the sandbox clock, or until expired by the test hook) and
/// the rotating refresh token: each refresh issues a new pair and retires every earlier refresh token.
/// </summary>
internal sealed class TokenService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly SandboxOptions _options;
    private string _current;
    private string _refresh;

    public TokenService(SandboxOptions options)
    {
        _options = options;
        _current = options.AccessToken;
        _refresh = options.RefreshToken;
        _expiries[_current] = options.TimeProvider.GetUtcNow() + options.AccessTokenLifetime;
    }

    public string AccessToken
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public string RefreshToken
    {
        get
        {
            lock (_gate)
            {
                return _refresh;
            }
        }
    }

    public bool IsValid(string token)
    {
        lock (_gate)
        {
            return _expiries.TryGetValue(token, out var expiry) && _options.TimeProvider.GetUtcNow() < expiry;
        }
    }

    /// <summary>Every access token issued so far stops working; refreshing still works.</summary>
    public void ExpireAll()
    {
        lock (_gate)
        {
            _expiries.Clear();
        }
    }

    public bool IsClient(string? id, string? secret) =>
        FixedEquals(id, _options.ClientId) && FixedEquals(secret, _options.ClientSecret);

    /// <summary>Rotates: returns a new (access, refresh) pair, or null when <paramref name="refreshToken"/> is not the current one.</summary>
    public (string Access, string Refresh)? Refresh(string refreshToken)
    {
        lock (_gate)
        {
            if (!FixedEquals(refreshToken, _refresh))
            {
                return null;
            }

            _current = "sbx-at-" + Guid.NewGuid().ToString("N");
            _refresh = "sbx-rt-" + Guid.NewGuid().ToString("N");
            _expiries[_current] = _options.TimeProvider.GetUtcNow() + _options.AccessTokenLifetime;
            return (_current, _refresh);
        }
    }

    private static bool FixedEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
