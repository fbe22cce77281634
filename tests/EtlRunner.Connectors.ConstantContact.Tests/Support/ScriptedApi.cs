using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>
/// A misbehaving Constant Contact on a loopback port: every request is answered by the test's handler (a status and
/// a JSON body), and recorded as "METHOD /path?query" so a test can assert what was, and was not, sent.
/// </summary>
internal sealed class ScriptedApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedApi(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<ScriptedApi> StartAsync(Func<HttpRequest, (int Status, string Json)> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ScriptedApi? api = null;
        app.Run(async context =>
        {
            api!.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            var (status, json) = answer(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        });
        await app.StartAsync();
        api = new ScriptedApi(app, new Uri(app.Urls.First() + "/v3/"));
        return api;
    }

    /// <summary>A contacts page (GET /contacts) holding these contacts, in the contract's shape.</summary>
    public static string Page(params (string Id, string Email, string Status)[] contacts) =>
        "{\"contacts\":[" + string.Join(",", contacts.Select(c => Contact(c.Id, c.Email, c.Status))) + "],\"_links\":{}}";

    /// <summary>One contact resource, in the contract's shape; a deleted one has deleted_at.</summary>
    public static string Contact(string id, string email, string status = "active") =>
        $"{{\"contact_id\":\"{id}\",\"email_address\":{{\"address\":\"{email}\",\"permission_to_send\":\"implicit\"}},\"first_name\":\"Someone\",\"update_source\":\"Account\",\"create_source\":\"Account\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"{(status == "deleted" ? ",\"deleted_at\":\"2026-02-01\"" : string.Empty)}}}";

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
