using System.Net;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>Constant Contact answered with an error status; the typed subclasses come from the status table in <c>ApiConnection</c>.</summary>
internal class ApiException : ConstantContactException
{
    public ApiException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
        : this(statusCode, errors, bodyExcerpt, $"unexpected response {(int)statusCode}: {bodyExcerpt}")
    {
    }

    protected ApiException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Errors = errors;
        BodyExcerpt = bodyExcerpt;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The API's <c>[{error_key, error_message}]</c> (or single object) body, already free of secrets.</summary>
    public IReadOnlyList<ApiError> Errors { get; }

    /// <summary>The first 200 characters of the body, secrets masked.</summary>
    public string BodyExcerpt { get; }

    public string? ErrorKey => Errors.Count > 0 ? Errors[0].ErrorKey : null;

    /// <summary>All error messages joined, or the body excerpt when there were none.</summary>
    public string ErrorText =>
        Errors.Count > 0 && Errors.Any(e => !string.IsNullOrEmpty(e.ErrorMessage))
            ? string.Join("; ", Errors.Select(e => e.ErrorMessage).Where(m => !string.IsNullOrEmpty(m)))
            : BodyExcerpt;
}

/// <summary>400: the record was refused (validation); reject that record with the API's error_key.</summary>
internal sealed class BadRequestException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
    : ApiException(statusCode, errors, bodyExcerpt, "Constant Contact refused the request (400): " + Describe(errors, bodyExcerpt))
{
    public override bool StopsOperation => false;

    private static string Describe(IReadOnlyList<ApiError> errors, string body) =>
        errors.Count > 0 ? string.Join("; ", errors.Select(e => e.ErrorMessage)) : body;
}

/// <summary>401 from the API (the access token was rejected); the connection refreshes once before it gives up.</summary>
internal sealed class AuthorizationException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
    : ApiException(statusCode, errors, bodyExcerpt, "the access token was rejected (401 unauthorized)");

/// <summary>403: the token lacks the contact_data scope or the user lacks the privilege.</summary>
internal sealed class ForbiddenException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
    : ApiException(
        statusCode,
        errors,
        bodyExcerpt,
        "Constant Contact refused access (403 forbidden): the access token lacks the contact_data scope, the user lacks the contacts privilege, or the application is deactivated. Authorize the app with scope contact_data (and offline_access for refresh). API said: " + bodyExcerpt);

/// <summary>404: the contact (or activity) does not exist.</summary>
internal sealed class NotFoundException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
    : ApiException(statusCode, errors, bodyExcerpt, "not found (404): " + bodyExcerpt)
{
    public override bool StopsOperation => false;
}

/// <summary>409: the email address already belongs to a contact (deleted ones included).</summary>
internal sealed class ConflictException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
    : ApiException(statusCode, errors, bodyExcerpt, "conflict (409): " + bodyExcerpt)
{
    public override bool StopsOperation => false;
}

/// <summary>429 <c>throttled</c>: more than the per-second limit; retried with backoff.</summary>
internal sealed class RateLimitExceededException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt, TimeSpan? retryAfter)
    : ApiException(statusCode, errors, bodyExcerpt, "Constant Contact kept throttling the requests (429 throttled) after every retry; lower requests_per_second or run later")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>429 <c>quota_exceeded</c>: the application's daily request quota is used up; the operation stops.</summary>
internal sealed class QuotaExceededException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt)
    : ApiException(
        statusCode,
        errors,
        bodyExcerpt,
        "Constant Contact daily request quota exhausted (429 quota_exceeded): the API key has used its daily requests (10,000 by default) and the counter resets at 00:00 UTC; the rest of this operation was not sent, so it runs again after 00:00 UTC");

/// <summary>5xx: Constant Contact failed; retried, and reported like this when every retry failed.</summary>
internal sealed class ServerErrorException(HttpStatusCode statusCode, IReadOnlyList<ApiError> errors, string bodyExcerpt, TimeSpan? retryAfter)
    : ApiException(statusCode, errors, bodyExcerpt, $"Constant Contact kept failing ({(int)statusCode} {statusCode}) after every retry: {bodyExcerpt}")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
