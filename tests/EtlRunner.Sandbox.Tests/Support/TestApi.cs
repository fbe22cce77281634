using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace EtlRunner.Sandbox.Tests.Support;

/// <summary>A running sandbox plus an authenticated HttpClient on its root, and small request helpers.</summary>
internal sealed class TestApi : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly RecordingHandler _recorder;

    private TestApi(ConstantContactSandbox sandbox, RecordingHandler recorder, FakeTimeProvider? clock)
    {
        Sandbox = sandbox;
        _recorder = recorder;
        Clock = clock;
        var root = new Uri(sandbox.BaseUrl.GetLeftPart(UriPartial.Authority));
        Http = new HttpClient(recorder, disposeHandler: true) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(20) };
        UseToken(sandbox.AccessToken);
    }

    public ConstantContactSandbox Sandbox { get; }

    public HttpClient Http { get; }

    public FakeTimeProvider? Clock { get; }

    public IReadOnlyList<Exchange> Exchanges => _recorder.Exchanges;

    /// <summary>Starts a sandbox; rate limiting is off unless the options say otherwise.</summary>
    public static async Task<TestApi> StartAsync(SandboxOptions? options = null, FakeTimeProvider? clock = null)
    {
        options ??= new SandboxOptions { RateLimit = false };
        if (clock is not null)
        {
            options = Copy(options, clock);
        }

        var sandbox = await ConstantContactSandbox.StartAsync(options);
        return new TestApi(sandbox, new RecordingHandler(), clock);
    }

    /// <summary>Starts a sandbox on a fake clock (at <see cref="Epoch"/>) with the given activity duration.</summary>
    public static Task<TestApi> StartFakeAsync(TimeSpan? activityDuration = null, bool rateLimit = false,
        double rps = 4, int daily = 10_000)
    {
        var clock = new FakeTimeProvider(Epoch);
        return StartAsync(new SandboxOptions
        {
            RateLimit = rateLimit,
            RequestsPerSecond = rps,
            DailyRequestLimit = daily,
            ActivityDuration = activityDuration ?? TimeSpan.FromSeconds(3),
        }, clock);
    }

    public void UseToken(string? token) => Http.DefaultRequestHeaders.Authorization =
        token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public Task<Reply> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<Reply> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    public Task<Reply> PostAsync(string path, JsonNode body) => SendAsync(Json(HttpMethod.Post, path, body.ToJsonString()));

    public Task<Reply> PutAsync(string path, JsonNode body) => SendAsync(Json(HttpMethod.Put, path, body.ToJsonString()));

    public Task<Reply> PostRawAsync(string path, string body, string contentType = "application/json") =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });

    public async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return new Reply(response.StatusCode, body, response.Headers, response.Content.Headers);
        }
    }

    /// <summary>POSTs a contact and returns its id (asserts 201).</summary>
    public async Task<string> CreateContactAsync(string email, string? first = null, JsonObject? extra = null)
    {
        var body = Bodies.Contact(email, first);
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        var reply = await PostAsync("/v3/contacts", body);
        Assert.True(reply.Code == 201, reply.ToString());
        return reply.Object["contact_id"]!.GetValue<string>();
    }

    public async Task<string> CreateListAsync(string name)
    {
        var reply = await PostAsync("/v3/contact_lists", new JsonObject { ["name"] = name });
        Assert.True(reply.Code == 201, reply.ToString());
        return reply.Object["list_id"]!.GetValue<string>();
    }

    public async Task<string> CreateFieldAsync(string label, string type = "string")
    {
        var reply = await PostAsync("/v3/contact_custom_fields", new JsonObject { ["label"] = label, ["type"] = type });
        Assert.True(reply.Code == 201, reply.ToString());
        return reply.Object["custom_field_id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string json) =>
        new(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static SandboxOptions Copy(SandboxOptions o, TimeProvider clock) => new()
    {
        Port = o.Port,
        DataFile = o.DataFile,
        SeedFile = o.SeedFile,
        RateLimit = o.RateLimit,
        RequestsPerSecond = o.RequestsPerSecond,
        DailyRequestLimit = o.DailyRequestLimit,
        Faults = o.Faults,
        AccessToken = o.AccessToken,
        ClientId = o.ClientId,
        ClientSecret = o.ClientSecret,
        RefreshToken = o.RefreshToken,
        AccessTokenLifetime = o.AccessTokenLifetime,
        ActivityDuration = o.ActivityDuration,
        TimeProvider = clock,
        FaultSeed = o.FaultSeed,
    };
}
