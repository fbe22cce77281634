namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>The access token was rejected and could not be renewed: the operation cannot go on.</summary>
internal sealed class AuthenticationFailedException : ConstantContactException
{
    private const string GetNewToken =
        "Get a new access token from the Constant Contact developer portal (OAuth2 authorization with scope contact_data offline_access) or set refresh_token and client_secret so EtlRunner refreshes it.";

    private AuthenticationFailedException(string message, bool refreshAttempted, Exception? innerException = null)
        : base(message, innerException)
    {
        RefreshAttempted = refreshAttempted;
    }

    /// <summary>False when there was nothing to refresh with (no refresh_token or client_secret).</summary>
    public bool RefreshAttempted { get; }

    public static AuthenticationFailedException NoRefreshCredentials() =>
        new($"Constant Contact rejected the access token (401 unauthorized). {GetNewToken}", refreshAttempted: false);

    public static AuthenticationFailedException RefreshRefused(string error, string? description) =>
        new($"Constant Contact rejected the access token (401 unauthorized) and refreshing it failed ({error}{(string.IsNullOrEmpty(description) ? string.Empty : ": " + description)}). {GetNewToken} (A rotating refresh token works once: use the newest one.)", refreshAttempted: true);

    public static AuthenticationFailedException RefreshUnreachable(string reason, Exception innerException) =>
        new($"Constant Contact rejected the access token (401 unauthorized) and the token endpoint could not be reached to refresh it ({reason}). {GetNewToken}", refreshAttempted: true, innerException);

    public static AuthenticationFailedException RejectedAfterRefresh() =>
        new($"Constant Contact rejected the access token (401 unauthorized) even after EtlRunner refreshed it once. {GetNewToken}", refreshAttempted: true);
}

/// <summary>Our own count of today's requests reached <c>daily_request_limit</c>: nothing more is sent.</summary>
internal sealed class DailyRequestLimitReachedException(long limit)
    : ConstantContactException(
        $"Constant Contact daily request quota exhausted (daily_request_limit {limit} reached, counted by EtlRunner): no further request was sent; the quota resets at 00:00 UTC, so the rest runs again after 00:00 UTC (or raise daily_request_limit if your plan allows more)");
