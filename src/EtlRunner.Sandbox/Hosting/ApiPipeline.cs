using EtlRunner.Sandbox.Auth;
using EtlRunner.Sandbox.Faults;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtlRunner.Sandbox.Hosting;

/// <summary>
/// The gateway in front of the handlers. Every request except /_sandbox/* is counted in the stats.
/// /v3 requests are then authenticated (401), rate limited (429) and possibly given a fault, in that order.
/// </summary>
internal sealed class ApiPipeline(
    SandboxStats stats, TokenService tokens, RequestRateLimiter? limiter, FaultInjector faults, FaultResponder responder)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/_sandbox"))
        {
            await next(context);
            return;
        }

        try
        {
            if (context.Request.Path.StartsWithSegments("/v3"))
            {
                await GatewayAsync(context, next);
            }
            else
            {
                await next(context);
            }
        }
        catch (Exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            context.Response.Clear();
            await ApiResponse.Error(StatusCodes.Status500InternalServerError, ApiErrors.ServerError, ApiErrors.InternalErrorMessage)
                .WriteAsync(context);
        }
        finally
        {
            stats.Record(RouteKey(context), context.Response.StatusCode);
        }
    }

    private static string RouteKey(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template }
            ? $"{context.Request.Method} {template}"
            : $"{context.Request.Method} (unmatched)";

    private async Task GatewayAsync(HttpContext context, RequestDelegate next)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !tokens.IsValid(auth[7..].Trim()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer realm=api.cc.email";
            await ApiResponse.WriteJsonAsync(context, ApiErrors.UnauthorizedBody);
            return;
        }

        var verdict = limiter?.TryAcquire() ?? RateLimitVerdict.Allowed;
        if (verdict != RateLimitVerdict.Allowed)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await ApiResponse.WriteJsonAsync(context,
                verdict == RateLimitVerdict.Throttled ? ApiErrors.ThrottledBody : ApiErrors.QuotaExceededBody);
            return;
        }

        if (faults.Decide() is { } fault)
        {
            stats.RecordFault(fault);
            await responder.RespondAsync(fault, context, next);
            return;
        }

        if (context.GetEndpoint() is null)
        {
            await ApiResponse.NotFound($"The requested resource {context.Request.Path} was not found.").WriteAsync(context);
            return;
        }

        await next(context);
    }
}
