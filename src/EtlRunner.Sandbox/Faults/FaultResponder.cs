using EtlRunner.Sandbox.Http;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Faults;

/// <summary>
/// Produces an injected fault. Every kind except <see cref="FaultKind.Cut"/> answers without running the handler
/// (no data change); a cut runs the handler (the change happens) and then aborts the connection mid-response.
/// </summary>
internal sealed class FaultResponder(TimeSpan timeoutDelay, TimeProvider time, CancellationToken stopping)
{
    private const string TruncatedJson =
        """{"contacts":[{"contact_id":"1618ae62-4752-11e9-9c8a-fa163e6b01c1","email_address":{"address":"dlang@exa""";

    public async Task RespondAsync(FaultKind fault, HttpContext context, RequestDelegate next)
    {
        switch (fault)
        {
            case FaultKind.InternalServerError:
                await ApiResponse.Error(StatusCodes.Status500InternalServerError, ApiErrors.ServerError, ApiErrors.InternalErrorMessage)
                    .WriteAsync(context);
                break;
            case FaultKind.ServiceUnavailable:
                await ApiResponse.Error(StatusCodes.Status503ServiceUnavailable, ApiErrors.ServiceUnavailable, ApiErrors.UnavailableMessage)
                    .WriteAsync(context);
                break;
            case FaultKind.Throttled:
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await ApiResponse.WriteJsonAsync(context, ApiErrors.ThrottledBody);
                break;
            case FaultKind.Timeout:
                await StallAsync(context);
                break;
            case FaultKind.Malformed:
                context.Response.StatusCode = StatusCodes.Status200OK;
                await ApiResponse.WriteJsonAsync(context, TruncatedJson);
                break;
            case FaultKind.Cut:
                await CutAsync(context, next);
                break;
            default:
                await next(context);
                break;
        }
    }

    private async Task StallAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(timeoutDelay, time, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        await ApiResponse.WriteJsonAsync(context, ApiErrors.GatewayTimeoutBody);
    }

    private static async Task CutAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = buffer.ToArray();
        if (bytes.Length > 1)
        {
            context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await original.FlushAsync();
        }

        context.Abort();
    }
}
