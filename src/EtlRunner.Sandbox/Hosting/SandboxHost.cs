using System.Net;
using EtlRunner.Sandbox.Activities;
using EtlRunner.Sandbox.Auth;
using EtlRunner.Sandbox.Contacts;
using EtlRunner.Sandbox.CustomFields;
using EtlRunner.Sandbox.Faults;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Lists;
using EtlRunner.Sandbox.Model;
using EtlRunner.Sandbox.RateLimiting;
using EtlRunner.Sandbox.Segments;
using EtlRunner.Sandbox.Tags;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EtlRunner.Sandbox.Hosting;

/// <summary>Builds the Kestrel app: loopback only, no logging, the gateway pipeline and every route.</summary>
internal static class SandboxHost
{
    public static WebApplication Build(
        SandboxOptions options, SandboxState state, ActivityEngine engine, TokenService tokens, SandboxStats stats, FaultSpec faults)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();

        var limiter = options.RateLimit
            ? new RequestRateLimiter(options.RequestsPerSecond, options.DailyRequestLimit, options.TimeProvider)
            : null;
        var injector = new FaultInjector(faults, faults.Seed ?? options.FaultSeed ?? SandboxDefaults.FaultSeed);
        var responder = new FaultResponder(faults.TimeoutDelay, options.TimeProvider, app.Lifetime.ApplicationStopping);
        var pipeline = new ApiPipeline(stats, tokens, limiter, injector, responder);

        app.UseRouting();
        app.Use(pipeline.InvokeAsync);

        var map = new ApiRouteMap(app);
        var segments = new SegmentCatalog();
        new ContactsEndpoints(state, segments).Map(map);
        new SignUpFormEndpoint(state).Map(map);
        new ListsEndpoints(state, engine).Map(map);
        new CustomFieldsEndpoints(state).Map(map);
        new TagsEndpoints(state, engine).Map(map);
        new SegmentsEndpoints(segments).Map(map);
        new ActivitiesEndpoints(state, engine).Map(map);
        new TokenEndpoint(tokens, options.AccessTokenLifetime).Map(app);

        app.MapGet("/_sandbox/stats", context => ApiResponse.WriteJsonAsync(context, stats.ToJson()));
        app.MapPost("/_sandbox/expire-token", context =>
        {
            tokens.ExpireAll();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        return app;
    }
}
