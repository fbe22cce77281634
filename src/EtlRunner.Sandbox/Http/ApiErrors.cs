namespace EtlRunner.Sandbox.Http;

/// <summary>Error keys and the fixed gateway bodies of the real API.</summary>
internal static class ApiErrors
{
    public const string Validation = "contacts.api.validation.error";
    public const string NotFound = "contacts.api.not_found";
    public const string Conflict = "contacts.api.conflict";
    public const string BadRequest = "contacts.api.bad.request";
    public const string UnsupportedMediaType = "contacts.api.unsupported.media.type";
    public const string QueueFull = "activities.api.queue.full";
    public const string ServerError = "server_error";
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>401 body, exactly the 59 bytes the real gateway sends.</summary>
    public const string UnauthorizedBody = """{"error_key":"unauthorized","error_message":"Unauthorized"}""";

    public const string ThrottledBody = """{"error_key":"throttled","error_message":"Too Many Requests"}""";

    public const string QuotaExceededBody = """{"error_key":"quota_exceeded","error_message":"Limit Exceeded"}""";

    public const string GatewayTimeoutBody = """{"message":"Endpoint request timed out"}""";

    public const string InternalErrorMessage = "There was a problem with our internal service.";

    public const string UnavailableMessage = "Our internal service is temporarily unavailable.";
}
