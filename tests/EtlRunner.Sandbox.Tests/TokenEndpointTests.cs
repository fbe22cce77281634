using System.Net.Http.Headers;
using System.Text;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class TokenEndpointTests
{
    internal static Task<Reply> RefreshAsync(TestApi api, string refreshToken,
        string clientId = SandboxDefaults.ClientId, string secret = SandboxDefaults.ClientSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, api.Sandbox.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return api.SendAsync(request);
    }

    [Fact]
    public async Task Refresh_ReturnsNewTokenPair_WithDocumentedFields()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await RefreshAsync(api, SandboxDefaults.RefreshToken);

        Assert.Equal(200, reply.Code);
        var body = reply.Object;
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(86400, body["expires_in"]!.GetValue<long>());
        Assert.Equal("contact_data offline_access", body["scope"]!.GetValue<string>());
        var access = body["access_token"]!.GetValue<string>();
        Assert.NotEqual(SandboxDefaults.AccessToken, access);
        Assert.NotEqual(SandboxDefaults.RefreshToken, body["refresh_token"]!.GetValue<string>());
        Assert.Equal(access, api.Sandbox.AccessToken);
        api.UseToken(access);
        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
    }

    [Fact]
    public async Task Refresh_RotatesRefreshTokens_OldOneGetsInvalidGrant()
    {
        await using var api = await TestApi.StartAsync();
        var first = await RefreshAsync(api, SandboxDefaults.RefreshToken);
        var second = await RefreshAsync(api, first.Object["refresh_token"]!.GetValue<string>());
        Assert.Equal(200, second.Code);

        var reused = await RefreshAsync(api, SandboxDefaults.RefreshToken);
        var reusedFirst = await RefreshAsync(api, first.Object["refresh_token"]!.GetValue<string>());

        foreach (var reply in new[] { reused, reusedFirst })
        {
            Assert.Equal(400, reply.Code);
            Assert.Equal("invalid_grant", reply.Object["error"]!.GetValue<string>());
            Assert.Equal("unknown, invalid, or expired refresh token", reply.Object["error_description"]!.GetValue<string>());
        }

        Assert.Equal(200, (await RefreshAsync(api, second.Object["refresh_token"]!.GetValue<string>())).Code);
    }

    [Fact]
    public async Task Refresh_WithWrongClientSecret_Returns401InvalidClient()
    {
        await using var api = await TestApi.StartAsync();

        var reply = await RefreshAsync(api, SandboxDefaults.RefreshToken, secret: "wrong");

        Assert.Equal(401, reply.Code);
        Assert.Equal("invalid_client", reply.Object["error"]!.GetValue<string>());
        Assert.Equal(200, (await RefreshAsync(api, SandboxDefaults.RefreshToken)).Code);
    }

    [Fact]
    public async Task Refresh_WithUnsupportedGrant_Returns400()
    {
        await using var api = await TestApi.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, api.Sandbox.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = SandboxDefaults.ClientId,
                ["client_secret"] = SandboxDefaults.ClientSecret,
            }),
        };

        var reply = await api.SendAsync(request);

        Assert.Equal(400, reply.Code);
        Assert.Equal("unsupported_grant_type", reply.Object["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenEndpoint_IsNotRateLimited()
    {
        await using var api = await TestApi.StartFakeAsync(rateLimit: true, rps: 1, daily: 2);
        var token = SandboxDefaults.RefreshToken;
        for (var i = 0; i < 5; i++)
        {
            var reply = await RefreshAsync(api, token);
            Assert.Equal(200, reply.Code);
            token = reply.Object["refresh_token"]!.GetValue<string>();
        }

        Assert.Equal(token, api.Sandbox.RefreshToken);
        Assert.Equal(5, api.Sandbox.Stats.Count("POST /oauth2/default/v1/token", 200));
    }
}
