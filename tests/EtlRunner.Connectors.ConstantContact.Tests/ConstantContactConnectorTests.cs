using System.Net;
using System.Net.Sockets;
using EtlRunner.Connectors.ConstantContact.Tests.Support;
using EtlRunner.Sandbox;
using static EtlRunner.Connectors.ConstantContact.Tests.Support.Contacts;

namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class ConstantContactConnectorTests
{
    [Fact]
    public void Descriptor_SandboxOverrides_EveryCredentialAndEndpoint_AndRegisters()
    {
        var registry = new ConnectorRegistry().AddConstantContact();

        var overrides = registry.Get("constantcontact").Descriptor.Sandbox;

        Assert.NotNull(overrides);
        Assert.Equal(
            ["access_token", "api_key", "base_url", "client_secret", "refresh_token", "token_url"],
            overrides.Parameters.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TestAsync_ValidToken_ReportsTheContactCount()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync(new SeedData().Contacts(3));
        await using var run = harness.NewRun();

        // When
        var result = await harness.Connector.TestAsync(run.Connection, CancellationToken.None);

        // Then
        Assert.True(result.Success, result.Message);
        Assert.Equal("authenticated; 3 contacts", result.Message);
        Assert.Equal(1, harness.Sandbox.Stats.Total);
    }

    [Fact]
    public async Task TestAsync_RejectedToken_SaysWhatToDo()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        harness.Connection["access_token"] = "bad-token-789";
        await using var run = harness.NewRun();

        // When
        var result = await harness.Connector.TestAsync(run.Connection, CancellationToken.None);

        // Then
        Assert.False(result.Success);
        Assert.Equal("the access token was rejected (401 unauthorized): get a new token or set refresh_token and client_secret", result.Message);
    }

    [Fact]
    public async Task TestAsync_NothingListening_SaysItCannotReachTheHost()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        var port = FreePort();
        harness.Connection["base_url"] = $"http://127.0.0.1:{port}/v3";
        await using var run = harness.NewRun();

        // When
        var result = await harness.Connector.TestAsync(run.Connection, CancellationToken.None);

        // Then
        Assert.False(result.Success);
        Assert.Equal($"cannot reach 127.0.0.1:{port}: connection refused", result.Message);
    }

    [Fact]
    public async Task Resources_OneClientPerConnectionPerRun()
    {
        // Given
        await using var harness = await SandboxHarness.StartAsync();
        await using var run = harness.NewRun();

        // When
        await using var first = harness.Connector.CreateSink(run.Activity(ActivityKind.Create));
        await using var second = harness.Connector.CreateSink(run.Activity(ActivityKind.Delete));

        // Then
        var client = run.Resources.GetOrCreate<object>("constantcontact:Constant Contact", () => throw new InvalidOperationException("not shared"));
        Assert.NotNull(client);
    }

    [Fact]
    public void Validate_BulkWithoutListIds_IsAProblem()
    {
        // Given
        var connector = new ConstantContactConnector();
        var connection = SandboxHarness.WithDefaults(ConstantContactParameters.Connection, new Dictionary<string, object?>
        {
            ["api_key"] = "k", ["access_token"] = "t", ["refresh_token"] = "r",
        });

        // When
        var create = connector.Validate(ActivityKind.Create, connection, new Settings(Params(("mode", "bulk"))));
        var query = connector.Validate(ActivityKind.Query, connection, new Settings(Params(("status", new[] { "active", "gone" }), ("updated_after", "yesterday"))));

        // Then
        Assert.Contains(create, p => p.Setting == "list_ids" && p.Message.Contains("needs list_ids", StringComparison.Ordinal));
        Assert.Contains(create, p => p.Setting == "client_secret");
        Assert.Contains(query, p => p.Setting == "status" && p.Message.Contains("gone", StringComparison.Ordinal));
        Assert.Contains(query, p => p.Setting == "updated_after");
    }

    [Fact]
    public void Descriptor_DeclaresTheActivitiesAndSecrets()
    {
        // Given
        var registry = new ConnectorRegistry().AddConstantContact();

        // When
        var descriptor = registry.Get("constantcontact").Descriptor;

        // Then
        Assert.Equal("constantcontact connections support query, create, update, delete, add_to_lists, remove_from_lists, add_tags, remove_tags and unsubscribe", descriptor.DescribeSupportedActivities());
        Assert.All(
            descriptor.ConnectionParameters.Where(p => p.Name is "api_key" or "access_token" or "refresh_token" or "client_secret"),
            p => Assert.True(p.Secret));
        Assert.Equal(500L, descriptor.FindActivity(ActivityKind.Query)!.Parameters.Single(p => p.Name == "limit").Default);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void WriteResource_NamesTheAccountByItsUrlAndAHashOfTheKey_SoASandboxNeverSharesARealAccountsLock()
    {
        var connector = new ConstantContactConnector();
        Settings Account(string url, string key) => new(Params(("api_key", key), ("access_token", "token-abc"), ("base_url", url)));

        var real = connector.WriteResource(ActivityKind.Create, Account("https://api.cc.email/v3", "real-api-key-123"), new Settings(Params()));
        var sameAccount = connector.WriteResource(ActivityKind.Delete, Account("https://api.cc.email/v3", "real-api-key-123"), new Settings(Params()));
        var otherKey = connector.WriteResource(ActivityKind.Create, Account("https://api.cc.email/v3", "other-api-key-456"), new Settings(Params()));
        var sandbox = connector.WriteResource(ActivityKind.Create, Account("http://127.0.0.1:43211/v3", "sandbox-client"), new Settings(Params()));

        Assert.Equal(real, sameAccount);
        Assert.NotEqual(real, otherKey);
        Assert.NotEqual(real, sandbox);
        Assert.StartsWith("Constant Contact account at https://api.cc.email/v3/ (API key sha256 ", real, StringComparison.Ordinal);
        Assert.DoesNotContain("real-api-key-123", real, StringComparison.Ordinal);
        Assert.DoesNotContain("token-abc", real, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadResource_NamesTheAccountAsWriteResourceDoes_WhateverResourceTheQueryReads()
    {
        var connector = new ConstantContactConnector();
        var account = new Settings(Params(("api_key", "real-api-key-123"), ("access_token", "token-abc"), ("base_url", "https://api.cc.email/v3")));
        var writes = connector.WriteResource(ActivityKind.Create, account, new Settings(Params()));

        Assert.Equal(writes, connector.ReadResource(account, new Settings(Params())));
        Assert.Equal(writes, connector.ReadResource(account, new Settings(Params(("resource", "lists")))));
    }
}
