using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>
/// A Kestrel server on a loopback address that answers every request with <paramref name="respond"/>: it plays a
/// broken or hostile Constant Contact endpoint. It counts the requests it received.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private HostileServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public int Requests => _requests;

    public static async Task<HostileServer> StartAsync(Func<HttpContext, Task> respond, string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), 0));
        var app = builder.Build();
        var server = new HostileServer(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref server._requests);
            return respond(context);
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUrl = new Uri(bound + "/v3/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(1));
        await _app.DisposeAsync();
    }
}
