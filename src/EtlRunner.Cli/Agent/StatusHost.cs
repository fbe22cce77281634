using System.Net;
using EtlRunner.Scheduling;
using EtlRunner.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EtlRunner.Cli.Agent;

/// <summary>
/// While the agent runs: its check-in on the <see cref="IAgentBoard"/> every <see cref="StatusBoardFile.CheckIn"/>
/// (so <c>etl status</c> sees it), and with <c>--status-port</c> a small Kestrel server that only reads:
/// <c>GET /</c> (plain HTML) and <c>GET /status.json</c>, secrets masked, small answers, short timeouts.
/// </summary>
internal sealed class StatusHost : IAsyncDisposable
{
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromSeconds(5);

    private readonly AgentCatalog _catalog;
    private readonly IScheduler _scheduler;
    private readonly IAgentBoard _board;
    private readonly bool _group;
    private readonly SqliteStateStore _state;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _checkIns;
    private WebApplication? _server;

    private StatusHost(AgentCatalog catalog, IScheduler scheduler, IAgentBoard? groupBoard)
    {
        _catalog = catalog;
        _scheduler = scheduler;
        _board = groupBoard ?? new StatusBoardFile(catalog.StateDirectory);
        _group = groupBoard is not null;
        _state = new SqliteStateStore(catalog.StateDirectory);
        _checkIns = CheckInAsync();
    }

    /// <summary>Starts the check-ins, and the server when <paramref name="port"/> is given (0: any free port); logs the page's address.</summary>
    /// <param name="groupBoard">With <c>--cluster</c>: the group's board (<see cref="PostgresAgentBoard"/>), where the agent publishes its runs and the page reads the group's; else the state folder's file.</param>
    public static async Task<StatusHost> StartAsync(AgentCatalog catalog, IScheduler scheduler, int? port, string bind, CancellationToken cancellationToken, IAgentBoard? groupBoard = null)
    {
        var host = new StatusHost(catalog, scheduler, groupBoard);
        if (port is { } p)
        {
            try
            {
                host._server = host.BuildServer(IPAddress.Parse(bind), p);
                await host._server.StartAsync(cancellationToken);
            }
            catch
            {
                await host.DisposeAsync(); // the port is taken: no check-ins of an agent that does not start
                throw;
            }

            var address = host._server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            catalog.LoggerFactory.CreateLogger("EtlRunner.Agent").LogInformation("Status page on {Address}/ and {Address}/status.json", address, address);
        }

        return host;
    }

    /// <summary>What the agent is doing now, from its scheduler, its live runs and the state database.</summary>
    public async Task<AgentStatus> CollectAsync(CancellationToken cancellationToken)
    {
        var now = _catalog.TimeProvider.GetUtcNow();
        var (agents, running) = _group ? _board.Read(now) : ([new AgentView(_catalog.Name, null, now, true)], _catalog.Progress.Snapshot(_catalog.Name, now));
        return await StatusCollector.CollectAsync(_scheduler, agents, running, _state, now, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _checkIns;
        _board.Publish(new AgentView(_catalog.Name, null, _catalog.TimeProvider.GetUtcNow(), false), []); // stopped
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _state.Dispose();
        _stop.Dispose();
    }

    private async Task CheckInAsync()
    {
        using var timer = new PeriodicTimer(StatusBoardFile.CheckIn, _catalog.TimeProvider);
        do
        {
            var now = _catalog.TimeProvider.GetUtcNow();
            try
            {
                _board.Publish(new AgentView(_catalog.Name, null, now, true), _catalog.Progress.Snapshot(_catalog.Name, now));
            }
            catch (IOException ex)
            {
                _catalog.LoggerFactory.CreateLogger("EtlRunner.Agent").LogWarning("Could not check in to {Folder}: {Reason}", _catalog.StateDirectory, ex.Message);
            }
        }
        while (await Tick(timer));
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private WebApplication BuildServer(IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = 32;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        });
        var app = builder.Build();
        app.MapGet("/", (HttpContext http) => AnswerAsync(http, "text/html; charset=utf-8", s => StatusText.Html(s, _catalog.Masker)));
        app.MapGet("/status.json", (HttpContext http) => AnswerAsync(http, "application/json; charset=utf-8", s => StatusJson.Write(s, _catalog.Masker)));
        return app;
    }

    private async Task AnswerAsync(HttpContext http, string contentType, Func<AgentStatus, string> render)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(CollectTimeout);
        var status = await CollectAsync(deadline.Token);
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(render(status), deadline.Token);
    }
}
