using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Http;

/// <summary>UUIDs as the API writes them: 36 characters, lower case, with dashes.</summary>
internal static class Ids
{
    public static bool TryParse(string? text, out Guid id) =>
        Guid.TryParseExact(text?.Trim(), "D", out id);

    public static string Format(Guid id) => id.ToString("D");

    /// <summary>The id in the route value <paramref name="name"/>; else the API's 404 "NAME is in an invalid format.".</summary>
    public static bool TryRoute(HttpContext context, string name, out Guid id, out ApiResponse? error)
    {
        var ok = TryParse(context.Request.RouteValues[name] as string, out id);
        error = ok ? null : ApiResponse.NotFound($"{name} is in an invalid format.");
        return ok;
    }
}
