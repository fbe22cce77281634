using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EtlRunner.Sandbox.Http;

/// <summary>Maps <see cref="ApiRoute"/>s to handlers that answer an <see cref="ApiResponse"/>.</summary>
internal sealed class ApiRouteMap(IEndpointRouteBuilder endpoints)
{
    public void Add(ApiRoute route, Func<HttpContext, Task<ApiResponse>> handler) =>
        endpoints.MapMethods(route.Template, [route.Method], async context =>
        {
            var response = await handler(context);
            await response.WriteAsync(context);
        });

    public void Add(ApiRoute route, Func<HttpContext, ApiResponse> handler) =>
        Add(route, context => Task.FromResult(handler(context)));
}
