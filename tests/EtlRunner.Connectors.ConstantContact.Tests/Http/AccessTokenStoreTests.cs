using EtlRunner.Connectors.ConstantContact.Tests.Support;
using EtlRunner.Sandbox;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests.Http;

public sealed class AccessTokenStoreTests
{
    private const string TokenRoute = "POST /oauth2/default/v1/token";

    [Fact]
    public async Task Unauthorized_WithRefreshCredentials_RefreshesOnceAndStoresTheRotatedToken()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        harness.Connection["refresh_token"] = SandboxDefaults.RefreshToken;
        harness.Connection["client_secret"] = SandboxDefaults.ClientSecret;
        harness.Sandbox.ExpireAccessToken();

        // When
        var records = await harness.QueryAsync();

        // Then
        Assert.Equal(3, records.Count);
        Assert.Equal(1, harness.Sandbox.Stats.Count(TokenRoute, 200));
        Assert.Equal(harness.Sandbox.RefreshToken, harness.State.Get("refresh_token"));
        Assert.Equal(harness.Sandbox.AccessToken, harness.State.Get("access_token"));
        Assert.NotEqual(SandboxDefaults.RefreshToken, harness.State.Get("refresh_token"));
        var logs = string.Concat(harness.Logger.Lines);
        Assert.Contains("rejected the access token; refreshed it", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sandbox.AccessToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Sandbox.RefreshToken, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorized_OnALaterRun_UsesTheStoredRefreshToken()
    {
        // Given: a first run rotated the YAML refresh token away
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(2));
        harness.Connection["refresh_token"] = SandboxDefaults.RefreshToken;
        harness.Connection["client_secret"] = SandboxDefaults.ClientSecret;
        harness.Sandbox.ExpireAccessToken();
        await harness.QueryAsync();

        // When: the stored access token works, then expires too
        var second = await harness.QueryAsync();
        harness.Sandbox.ExpireAccessToken();
        var third = await harness.QueryAsync();

        // Then
        Assert.Equal((2, 2), (second.Count, third.Count));
        Assert.Equal(2, harness.Sandbox.Stats.Count(TokenRoute, 200));
        Assert.Equal(0, harness.Sandbox.Stats.Count(TokenRoute, 400));
        Assert.Equal(harness.Sandbox.RefreshToken, harness.State.Get("refresh_token"));
    }

    [Fact]
    public async Task Unauthorized_ConcurrentRequests_RefreshOnlyOnce()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(40));
        harness.Connection["refresh_token"] = SandboxDefaults.RefreshToken;
        harness.Connection["client_secret"] = SandboxDefaults.ClientSecret;
        harness.Sandbox.ExpireAccessToken();
        await using var run = harness.NewRun();

        // When
        var reads = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => run.QueryAsync(Params(("limit", 10L))))));

        // Then
        Assert.All(reads, r => Assert.Equal(40, r.Count));
        Assert.Equal(1, harness.Sandbox.Stats.Count(TokenRoute));
    }

    [Fact]
    public async Task Unauthorized_WithoutRefreshCredentials_SinkStopsWithClearReason()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["access_token"] = "expired-token-value-123";

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(5), batchSize: 2);

        // Then
        Assert.StartsWith("Constant Contact rejected the access token (401 unauthorized). Get a new access token", outcome.StopReason, StringComparison.Ordinal);
        Assert.Contains("set refresh_token and client_secret so EtlRunner refreshes it", outcome.StopReason, StringComparison.Ordinal);
        Assert.Equal((0, 2), (outcome.Written, outcome.Rejected.Count));
        Assert.Equal(1, harness.Sandbox.Stats.Total);
        Assert.DoesNotContain("expired-token-value-123", outcome.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorized_WithoutRefreshCredentials_SourceThrows()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["access_token"] = "expired-token-value-123";
        harness.Connection["refresh_token"] = string.Empty;
        harness.Connection["client_secret"] = string.Empty;

        // When
        var error = await Assert.ThrowsAnyAsync<Exception>(() => harness.QueryAsync());

        // Then
        Assert.StartsWith("Constant Contact rejected the access token (401 unauthorized).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorized_RefreshRefused_StopsNamingInvalidGrantWithoutSecrets()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["access_token"] = "expired-token-value-123";
        harness.Connection["refresh_token"] = "used-up-refresh-token-456";
        harness.Connection["client_secret"] = SandboxDefaults.ClientSecret;

        // When
        var outcome = await harness.WriteAsync(ActivityKind.Create, New(3));

        // Then
        Assert.Contains("refreshing it failed (invalid_grant", outcome.StopReason, StringComparison.Ordinal);
        Assert.Equal(3, outcome.Rejected.Count);
        var text = outcome.StopReason + string.Concat(outcome.Rejected.Select(r => r.Reason)) + string.Concat(harness.Logger.Lines);
        foreach (var secret in new[] { "expired-token-value-123", "used-up-refresh-token-456", SandboxDefaults.ClientSecret, SandboxDefaults.ClientId })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
