using System.Security.Cryptography;
using System.Text;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// The connection's bearer token. On a 401 it refreshes once through the token endpoint (one refresh however many
/// requests failed at the same time), keeps the rotated refresh token in the connection's state and prefers the
/// stored tokens on later runs, as long as the YAML still holds the tokens they were derived from.
/// </summary>
internal sealed class AccessTokenStore
{
    internal const string AccessTokenKey = "access_token";
    internal const string RefreshTokenKey = "refresh_token";
    internal const string OriginKey = "token_origin";

    private readonly ConstantContactConnectionOptions _options;
    private readonly IConnectorState _state;
    private readonly OAuthClient _oauth;
    private readonly SecretMasker _masker;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly string _origin;
    private string? _refreshToken;
    private bool _refreshed;
    private volatile string _current;
    private volatile ConstantContactException? _failure;

    public AccessTokenStore(ConstantContactConnectionOptions options, IConnectorState state, OAuthClient oauth, SecretMasker masker, ILogger logger)
    {
        _options = options;
        _state = state;
        _oauth = oauth;
        _masker = masker;
        _logger = logger;
        _origin = Fingerprint(options.AccessToken, options.RefreshToken);
        var stored = state.Get(OriginKey) == _origin;
        _current = (stored ? state.Get(AccessTokenKey) : null) ?? options.AccessToken;
        _refreshToken = (stored ? state.Get(RefreshTokenKey) : null) ?? options.RefreshToken;
        masker.Add(_current);
        masker.Add(_refreshToken);
    }

    public string Current => _current;

    /// <summary>Set once the token was rejected for good: nothing more is sent with it.</summary>
    public ConstantContactException? Failure => _failure;

    /// <summary>
    /// Called after <paramref name="rejectedToken"/> got a 401: returns a token to try once more (someone else's fresh
    /// refresh, or our own) or throws <see cref="AuthenticationFailedException"/>.
    /// </summary>
    public async Task<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_failure is { } failure)
            {
                throw failure;
            }

            if (!string.Equals(rejectedToken, _current, StringComparison.Ordinal))
            {
                return _current;
            }

            if (_refreshed)
            {
                throw Fail(AuthenticationFailedException.RejectedAfterRefresh());
            }

            if (_refreshToken is null || _options.ClientSecret is null)
            {
                throw Fail(AuthenticationFailedException.NoRefreshCredentials());
            }

            _refreshed = true;
            try
            {
                return await _state.ExclusiveAsync(() => RefreshAsync(rejectedToken, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException exception)
            {
                throw Fail(exception);
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// Refreshes the token, alone across the processes sharing the connection's state: when another (an agent of the
    /// same group) refreshed it meanwhile, its stored tokens are taken instead, since a refresh token works once.
    /// </summary>
    private async Task<string> RefreshAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        if (_state.Get(OriginKey) == _origin && _state.Get(AccessTokenKey) is { } stored && !string.Equals(stored, rejectedToken, StringComparison.Ordinal))
        {
            _masker.Add(stored);
            _current = stored;
            _refreshToken = _state.Get(RefreshTokenKey) ?? _refreshToken;
            _masker.Add(_refreshToken);
            _logger.LogInformation("Constant Contact rejected the access token; another process sharing the connection state had refreshed it, and its tokens are used");
            return _current;
        }

        var token = await _oauth.RefreshAsync(new TokenRefreshRequest(_refreshToken!), cancellationToken).ConfigureAwait(false);
        _masker.Add(token.AccessToken);
        _masker.Add(token.RefreshToken);
        _current = token.AccessToken!;
        _refreshToken = token.RefreshToken ?? _refreshToken;
        _state.Set(AccessTokenKey, _current);
        _state.Set(RefreshTokenKey, _refreshToken!);
        _state.Set(OriginKey, _origin);
        _logger.LogInformation("Constant Contact rejected the access token; refreshed it and stored the new tokens in the connection state");
        return _current;
    }

    /// <summary>The renewed token was rejected too: give up for the rest of the run.</summary>
    public AuthenticationFailedException RejectRenewed() => (AuthenticationFailedException)Fail(AuthenticationFailedException.RejectedAfterRefresh());

    private ConstantContactException Fail(ConstantContactException failure)
    {
        _failure ??= failure;
        return _failure;
    }

    /// <summary>A short one-way digest of the YAML tokens: tells whether stored tokens descend from them, without keeping them.</summary>
    private static string Fingerprint(string accessToken, string? refreshToken) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken + "\n" + refreshToken)))[..16];
}
