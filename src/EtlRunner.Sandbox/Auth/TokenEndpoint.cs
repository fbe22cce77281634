using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtlRunner.Sandbox.Auth;

/// <summary>
/// POST /oauth2/default/v1/token: the authorization server's refresh grant. Client credentials by HTTP Basic
/// (or client_id/client_secret form fields); parameters from the form body or the query string.
/// </summary>
internal sealed class TokenEndpoint(TokenService tokens, TimeSpan lifetime)
{
    public const string Path = "/oauth2/default/v1/token";

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            form[key] = value.ToString();
        }

        if (context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync(context.RequestAborted))
            {
                form[key] = value.ToString();
            }
        }

        var (clientId, secret) = BasicCredentials(context.Request.Headers.Authorization.ToString())
            ?? (form.GetValueOrDefault("client_id"), form.GetValueOrDefault("client_secret"));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!tokens.IsClient(clientId, secret))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"api.cc.email\"";
            await Error(context, StatusCodes.Status401Unauthorized, "invalid_client",
                "Client authentication failed. Either the client or the client credentials are invalid.");
            return;
        }

        var grant = form.GetValueOrDefault("grant_type");
        if (grant != "refresh_token")
        {
            await Error(context, StatusCodes.Status400BadRequest, grant is null ? "invalid_request" : "unsupported_grant_type",
                grant is null ? "The grant_type parameter is required."
                    : $"The authorization grant type '{grant}' is not supported by the sandbox; use refresh_token.");
            return;
        }

        if (form.GetValueOrDefault("refresh_token") is not { Length: > 0 } refresh)
        {
            await Error(context, StatusCodes.Status400BadRequest, "invalid_request", "The refresh_token parameter is required.");
            return;
        }

        if (tokens.Refresh(refresh) is not { } pair)
        {
            await Error(context, StatusCodes.Status400BadRequest, "invalid_grant", "unknown, invalid, or expired refresh token");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await ApiResponse.WriteJsonAsync(context, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["access_token"] = pair.Access,
            ["scope"] = "contact_data offline_access",
            ["refresh_token"] = pair.Refresh,
        }.ToJsonString());
    }

    private static (string? Id, string? Secret)? BasicCredentials(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var auth)
            || !auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || auth.Parameter is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (text, null) : (Uri.UnescapeDataString(text[..colon]), Uri.UnescapeDataString(text[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static Task Error(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        return ApiResponse.WriteJsonAsync(context, new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString());
    }
}
