namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>No answer came within <c>timeout_seconds</c>.</summary>
internal sealed class RequestTimeoutException(string route, TimeSpan timeout)
    : ConstantContactException($"Constant Contact did not answer {route} within {timeout.TotalSeconds:0.#} s (timeout_seconds)");

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
