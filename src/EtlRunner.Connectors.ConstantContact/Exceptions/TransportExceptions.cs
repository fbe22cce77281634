using System.Globalization;

namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>No complete answer came within <c>timeout_seconds</c>: no headers, or a body that stalled after them.</summary>
internal sealed class RequestTimeoutException(string route, TimeSpan timeout, bool bodyStalled = false)
    : ConstantContactException(bodyStalled
        ? string.Create(CultureInfo.InvariantCulture, $"Constant Contact started answering {route} but did not finish the body within {timeout.TotalSeconds:0.#} s (timeout_seconds)")
        : string.Create(CultureInfo.InvariantCulture, $"Constant Contact did not answer {route} within {timeout.TotalSeconds:0.#} s (timeout_seconds)"));

/// <summary>The answer (after decompression) is larger than <c>max_response_bytes</c>; it was not read further.</summary>
internal sealed class ResponseTooLargeException(string route, long limit)
    : ConstantContactException(string.Create(CultureInfo.InvariantCulture, $"Constant Contact's answer to {route} is larger than {limit:N0} bytes (max_response_bytes); it was not read further. Raise max_response_bytes if the API's answers really are that large"));

/// <summary>A 3xx answer that is not followed: to another host (the token must not go there), of a request other than GET, or one too many.</summary>
internal sealed class RedirectRefusedException : ConstantContactException
{
    private RedirectRefusedException(string message)
        : base(message)
    {
    }

    public static RedirectRefusedException ToAnotherHost(string route, int statusCode, string location, string host) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Constant Contact answered {route} with a redirect ({statusCode}) to {location}, not {host} (base_url): it was not followed, so the access token goes nowhere else. Check base_url"));

    public static RedirectRefusedException NotGet(string route, int statusCode) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Constant Contact answered {route} with a redirect ({statusCode}): it was not followed, because only a GET is redirected. Check base_url"));

    public static RedirectRefusedException TooMany(string route, int maxRedirects) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Constant Contact redirected {route} more than {maxRedirects} times in a row: stopped"));
}

/// <summary>The answer was not the JSON the API documents (cut short, HTML from a proxy...).</summary>
internal sealed class MalformedResponseException(string route, int statusCode, Exception innerException)
    : ConstantContactException($"Constant Contact sent an unreadable answer to {route} (status {statusCode}): {innerException.Message}", innerException)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>
/// The connection failed: refused or unresolvable before anything was sent, or cut after the request went out
/// (<see cref="RequestMayHaveArrived"/>).
/// </summary>
internal sealed class ServiceUnreachableException(string host, string reason, bool requestMayHaveArrived, Exception innerException)
    : ConstantContactException($"cannot reach {host}: {reason}", innerException)
{
    public bool RequestMayHaveArrived { get; } = requestMayHaveArrived;
}

/// <summary>
/// A request that is not safe to repeat (POST /contacts) lost its answer (timeout, connection cut, unreadable body):
/// it may or may not have taken effect. The caller checks before sending it again.
/// </summary>
internal sealed class UnknownOutcomeException(string route, Exception innerException)
    : ConstantContactException($"the answer to {route} was lost ({innerException.Message}); it may or may not have taken effect", innerException)
{
    public override bool StopsOperation => false;
}

/// <summary>
/// A request whose answer was lost was checked and certainly did not take effect (POST /contacts, and no contact with
/// its email): safe to send again, which the <see cref="Http.RetryPolicy"/> does with its backoff.
/// </summary>
internal sealed class NotTakenException(UnknownOutcomeException lost)
    : ConstantContactException(lost.Message + "; it did not take effect", lost)
{
    /// <summary>What to report when the retries run out: the failure behind the lost answer.</summary>
    public ConstantContactException Cause => lost.InnerException as ConstantContactException ?? lost;
}
