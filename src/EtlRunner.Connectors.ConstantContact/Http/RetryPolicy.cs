using System.Globalization;
using System.Net;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// The Polly pipeline every API call runs in: bounded retries with exponential backoff and jitter (Retry-After wins
/// when sent), timed by the connection's <see cref="TimeProvider"/>. A request that is not safe to repeat is retried
/// only when it certainly did not take effect (429 throttled, 503, connection refused).
/// </summary>
internal static class RetryPolicy
{
    public static readonly ResiliencePropertyKey<ApiRequest> RequestKey = new("constantcontact.request");
    public static readonly ResiliencePropertyKey<RequestOptions> OptionsKey = new("constantcontact.options");
    public static readonly ResiliencePropertyKey<bool> WaitedKey = new("constantcontact.waited");

    public static ResiliencePipeline Create(int maxRetries, ConstantContactTuning tuning, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (maxRetries <= 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = tuning.RetryBaseDelay,
            MaxDelay = tuning.RetryMaxDelay,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is { } exception
                && IsRetryable(exception, args.Context.Properties.GetValue(RequestKey, null!)?.IsIdempotent ?? false)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception, tuning.MaxRetryAfter)),
            OnRetry = args =>
            {
                var route = args.Context.Properties.GetValue(RequestKey, null!)?.Route ?? "a request";
                var reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Describe(args.Outcome.Exception)}, retry {args.AttemptNumber + 1}/{maxRetries} in {DurationText.Format(args.RetryDelay)}");
                logger.LogWarning("Constant Contact {Route}: {Reason}", route, reason);
                args.Context.Properties.GetValue(OptionsKey, RequestOptions.Default).ReportWaiting?.Invoke(reason);
                args.Context.Properties.Set(WaitedKey, true);
                return default;
            },
        }).Build();
    }

    public static bool IsRetryable(Exception exception, bool isIdempotent) => exception switch
    {
        RateLimitExceededException or NotTakenException => true,
        ServerErrorException server => isIdempotent || server.StatusCode == HttpStatusCode.ServiceUnavailable,
        RequestTimeoutException or MalformedResponseException => isIdempotent,
        ServiceUnreachableException unreachable => isIdempotent || !unreachable.RequestMayHaveArrived,
        _ => false,
    };

    /// <summary>The request went out and its answer was lost or unusable: it may or may not have taken effect.</summary>
    public static bool IsOutcomeUnknown(Exception exception) => exception switch
    {
        ServerErrorException server => server.StatusCode != HttpStatusCode.ServiceUnavailable,
        RequestTimeoutException or MalformedResponseException or ResponseTooLargeException => true,
        ServiceUnreachableException unreachable => unreachable.RequestMayHaveArrived,
        _ => false,
    };

    public static string Describe(Exception? exception) => exception switch
    {
        RateLimitExceededException => "throttled by Constant Contact (429)",
        ServerErrorException server => string.Create(CultureInfo.InvariantCulture, $"Constant Contact answered {(int)server.StatusCode} ({server.StatusCode})"),
        RequestTimeoutException timeout => timeout.Message,
        MalformedResponseException => "Constant Contact sent an unreadable answer",
        ServiceUnreachableException unreachable => unreachable.Message,
        null => "failed",
        _ => exception.Message,
    };

    private static TimeSpan? RetryAfter(Exception? exception, TimeSpan max)
    {
        var retryAfter = exception switch
        {
            RateLimitExceededException throttled => throttled.RetryAfter,
            ServerErrorException server => server.RetryAfter,
            _ => null,
        };
        return retryAfter is { } delay ? (delay > max ? max : delay < TimeSpan.Zero ? TimeSpan.Zero : delay) : null;
    }
}
