using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;
using EtlRunner.Expressions;

namespace EtlRunner.Connectors.ConstantContact.Clients;

/// <summary>
/// Constant Contact's OAuth2 token endpoint (https://developer.constantcontact.com/api_guide/server_flow.html).
/// Not retried: with rotating refresh tokens a lost answer may already have used the token up.
/// </summary>
internal sealed class OAuthClient(
    HttpClient http,
    Uri tokenUrl,
    string clientId,
    string? clientSecret,
    RateLimiter pacer,
    TimeSpan timeout,
    TimeProvider time,
    SecretMasker masker)
{
    private const int MaxErrorText = 200;

    /// <summary>POST {token_url} grant_type=refresh_token (Basic client_id:client_secret).</summary>
    public async Task<TokenResponse> RefreshAsync(TokenRefreshRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(request.ToForm()) };
        message.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + clientSecret)));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var lease = await pacer.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        byte[] body;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, linked.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw AuthenticationFailedException.RefreshUnreachable($"no answer within {timeout.TotalSeconds:0.#} s", exception);
        }
        catch (HttpRequestException exception)
        {
            throw AuthenticationFailedException.RefreshUnreachable(masker.Apply(exception.Message), exception);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode && TryRead(body, ApiJson.Default.TokenResponse) is { AccessToken.Length: > 0 } token)
            {
                return token;
            }

            // Only the error's code and description, never the rest of the reply: a token endpoint may echo the
            // request (the Basic credentials, the refresh token) anywhere in it. Both are masked and cut short anyway.
            var error = TryRead(body, ApiJson.Default.OAuthError);
            throw AuthenticationFailedException.RefreshRefused(
                error?.Error is { Length: > 0 } code ? Short(masker.Apply(code)) : $"HTTP {(int)response.StatusCode}",
                error?.ErrorDescription is { } description ? Short(masker.Apply(description)) : null);
        }
    }

    private static string Short(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxErrorText ? text : text[..MaxErrorText] + "...";
    }

    private static T? TryRead<T>(byte[] body, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
