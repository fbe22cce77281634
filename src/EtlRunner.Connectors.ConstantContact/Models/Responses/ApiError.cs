namespace EtlRunner.Connectors.ConstantContact.Models.Responses;

/// <summary>One <c>{error_key, error_message}</c> of an error body (an array for 400/404/409, a single object for 401/429).</summary>
internal sealed record ApiError(string? ErrorKey, string? ErrorMessage);
