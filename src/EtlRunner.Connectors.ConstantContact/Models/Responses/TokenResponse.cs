namespace EtlRunner.Connectors.ConstantContact.Models.Responses;

/// <summary>The OAuth2 token endpoint's answer to a refresh (<c>AccessTokenResponse</c>).</summary>
internal sealed record TokenResponse(string? AccessToken, string? RefreshToken, string? TokenType, long? ExpiresIn);

/// <summary>The OAuth2 token endpoint's error body, e.g. <c>{"error":"invalid_grant","error_description":"..."}</c>.</summary>
internal sealed record OAuthError(string? Error, string? ErrorDescription);
