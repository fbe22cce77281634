namespace EtlRunner.Sandbox;

/// <summary>A fault the sandbox can inject into a /v3 request.</summary>
public enum FaultKind
{
    /// <summary>500 with the API's array error body, request not processed.</summary>
    InternalServerError,

    /// <summary>503 with the API's array error body, request not processed.</summary>
    ServiceUnavailable,

    /// <summary>429 with the throttled body, request not processed.</summary>
    Throttled,

    /// <summary>Stalls for <see cref="FaultSpec.TimeoutDelay"/>, then answers 504; request not processed.</summary>
    Timeout,

    /// <summary>Request processed, then the connection is aborted part-way through the response.</summary>
    Cut,

    /// <summary>200 with truncated, invalid JSON; request not processed.</summary>
    Malformed,
}
