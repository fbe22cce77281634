using System.Net.Http.Headers;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class AuthTests
{
    private const string UnauthorizedBody = """{"error_key":"unauthorized","error_message":"Unauthorized"}""";

    [Fact]
    public async Task GetContacts_WithoutToken_Returns401WithGatewayBody()
    {
        await using var api = await TestApi.StartAsync();
        api.UseToken(null);

        var reply = await api.GetAsync("/v3/contacts");

        Assert.Equal(401, reply.Code);
        Assert.Equal(UnauthorizedBody, reply.Body);
        Assert.Equal(59, reply.ContentHeaders.ContentLength);
        Assert.Equal("application/json", reply.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("Bearer realm=api.cc.email", Assert.Single(reply.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task GetContacts_WithWrongTokenOrScheme_Returns401()
    {
        await using var api = await TestApi.StartAsync();
        api.UseToken("not-the-token");
        Assert.Equal(401, (await api.GetAsync("/v3/contacts")).Code);

        api.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", SandboxDefaults.AccessToken);
        Assert.Equal(401, (await api.GetAsync("/v3/contact_lists")).Code);
    }

    [Fact]
    public async Task DefaultToken_IsAccepted()
    {
        await using var api = await TestApi.StartAsync();

        Assert.Equal(SandboxDefaults.AccessToken, api.Sandbox.AccessToken);
        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
    }

    [Fact]
    public async Task AccessToken_ExpiresAfterLifetime_OnTheSandboxClock()
    {
        await using var api = await TestApi.StartFakeAsync();
        api.Clock!.Advance(TimeSpan.FromHours(23.9));
        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);

        api.Clock.Advance(TimeSpan.FromHours(0.2));
        var reply = await api.GetAsync("/v3/contacts");

        Assert.Equal(401, reply.Code);
        Assert.Equal(UnauthorizedBody, reply.Body);
    }

    [Fact]
    public async Task ExpireAccessToken_MakesCurrentToken401_AndRefreshStillWorks()
    {
        await using var api = await TestApi.StartAsync();
        api.Sandbox.ExpireAccessToken();

        Assert.Equal(401, (await api.GetAsync("/v3/contacts")).Code);

        var refreshed = await TokenEndpointTests.RefreshAsync(api, SandboxDefaults.RefreshToken);
        Assert.Equal(200, refreshed.Code);
        api.UseToken(refreshed.Object["access_token"]!.GetValue<string>());
        Assert.Equal(200, (await api.GetAsync("/v3/contacts")).Code);
    }

    [Fact]
    public async Task ExpireTokenRoute_ExpiresToken_WithoutAuthAndWithoutBeingCounted()
    {
        await using var api = await TestApi.StartAsync();
        api.UseToken(null);

        var reply = await api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/_sandbox/expire-token"));

        Assert.Equal(204, reply.Code);
        api.UseToken(SandboxDefaults.AccessToken);
        Assert.Equal(401, (await api.GetAsync("/v3/contacts")).Code);
        Assert.Equal(1, api.Sandbox.Stats.Total);
    }
}
