using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Models.Responses;
using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;
using Polly;

namespace EtlRunner.Connectors.ConstantContact.Http;

/// <summary>
/// Sends API requests for one connection: paced by the <see cref="RequestPacer"/> (or an agent group's <see cref="SharedRequestPacer"/>), counted against the daily budget,
/// authenticated with the current bearer token (refreshed once on a 401), retried by the <see cref="RetryPolicy"/>,
/// and turned into typed exceptions through <see cref="ErrorMap"/>.
/// </summary>
internal sealed class ApiConnection
{
    private const int ExcerptLength = 200;

    /// <summary>Redirects of a GET within the API's host followed in one attempt.</summary>
    private const int MaxRedirects = 5;

    /// <summary>Status code → exception, as Octokit's Connection maps them.</summary>
    private static readonly Dictionary<HttpStatusCode, Func<ApiResponse, IReadOnlyList<ApiError>, string, ApiException>> ErrorMap = new()
    {
        [HttpStatusCode.BadRequest] = (r, errors, body) => new BadRequestException(r.StatusCode, errors, body),
        [HttpStatusCode.Unauthorized] = (r, errors, body) => new AuthorizationException(r.StatusCode, errors, body),
        [HttpStatusCode.Forbidden] = (r, errors, body) => new ForbiddenException(r.StatusCode, errors, body),
        [HttpStatusCode.NotFound] = (r, errors, body) => new NotFoundException(r.StatusCode, errors, body),
        [HttpStatusCode.Conflict] = (r, errors, body) => new ConflictException(r.StatusCode, errors, body),
        [HttpStatusCode.TooManyRequests] = (r, errors, body) => errors.Any(e => e.ErrorKey == "quota_exceeded")
            ? new QuotaExceededException(r.StatusCode, errors, body)
            : new RateLimitExceededException(r.StatusCode, errors, body, r.RetryAfter),
    };

    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly AccessTokenStore _tokens;
    private readonly System.Threading.RateLimiting.RateLimiter _pacer;
    private readonly DailyRequestBudget _budget;
    private readonly SecretMasker _masker;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;
    private readonly long _maxResponseBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ApiConnection(
        HttpClient http,
        ConstantContactConnectionOptions options,
        AccessTokenStore tokens,
        System.Threading.RateLimiting.RateLimiter pacer,
        DailyRequestBudget budget,
        SecretMasker masker,
        ResiliencePipeline pipeline,
        TimeProvider time,
        ILogger logger)
    {
        _http = http;
        _baseUrl = options.BaseUrl;
        _tokens = tokens;
        _pacer = pacer;
        _budget = budget;
        _masker = masker;
        _pipeline = pipeline;
        _timeout = options.Timeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _time = time;
        _logger = logger;
    }

    /// <summary>Waits for the pacer's permit, showing that the wait is our own pacing to the API's rate, not a hang.</summary>
    private async ValueTask<System.Threading.RateLimiting.RateLimitLease> PaceAsync(RequestOptions options, CancellationToken cancellationToken)
    {
        var acquire = _pacer.AcquireAsync(1, cancellationToken);
        if (acquire.IsCompleted)
        {
            return await acquire.ConfigureAwait(false);
        }

        options.ReportWaiting?.Invoke("pacing requests to Constant Contact's rate limit (requests_per_second)");
        try
        {
            return await acquire.ConfigureAwait(false);
        }
        finally
        {
            options.ReportWaiting?.Invoke(null);
        }
    }

    public string Host => _baseUrl.IsDefaultPort ? _baseUrl.Host : _baseUrl.Authority;

    /// <summary>A dry run's connection: only GET requests are sent; any other is a bug in a preview, refused before it leaves.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Sends <paramref name="request"/> (retrying per the policy) and reads the successful answer with <paramref name="read"/>.</summary>
    public async Task<T> SendAsync<T>(ApiRequest request, Func<ApiResponse, T> read, RequestOptions options, CancellationToken cancellationToken)
    {
        if (ReadOnly && request.Method != HttpMethod.Get)
        {
            throw new InvalidOperationException($"a dry run sends only GET requests, and {request.Route} would change the account (internal error: report it)");
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RetryPolicy.RequestKey, request);
        context.Properties.Set(RetryPolicy.OptionsKey, options);
        try
        {
            return options.Retry
                ? await _pipeline.ExecuteAsync(
                    static (ctx, state) => state.Self.AttemptAsync(state.Request, state.Read, state.Options, ctx.CancellationToken),
                    context,
                    (Self: this, Request: request, Read: read, Options: options)).ConfigureAwait(false)
                : await AttemptAsync(request, read, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ConstantContactException exception) when (!request.IsIdempotent && RetryPolicy.IsOutcomeUnknown(exception))
        {
            throw new UnknownOutcomeException(request.Route, exception);
        }
        finally
        {
            if (context.Properties.TryGetValue(RetryPolicy.WaitedKey, out _))
            {
                options.ReportWaiting?.Invoke(null);
            }

            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/>, a request with its own checks around it, in the retry pipeline: repeated with the
    /// pipeline's backoff while it throws <see cref="NotTakenException"/>; the last cause is thrown when the retries run out.
    /// </summary>
    public async Task<T> RepeatAsync<T>(Func<CancellationToken, Task<T>> step, RequestOptions options, CancellationToken cancellationToken)
    {
        if (!options.Retry)
        {
            return await step(cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RetryPolicy.OptionsKey, options);
        try
        {
            return await _pipeline.ExecuteAsync(static (ctx, step) => new ValueTask<T>(step(ctx.CancellationToken)), context, step).ConfigureAwait(false);
        }
        catch (NotTakenException notTaken)
        {
            throw notTaken.Cause;
        }
        finally
        {
            if (context.Properties.TryGetValue(RetryPolicy.WaitedKey, out _))
            {
                options.ReportWaiting?.Invoke(null);
            }

            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<T> AttemptAsync<T>(ApiRequest request, Func<ApiResponse, T> read, RequestOptions options, CancellationToken cancellationToken)
    {
        if (_tokens.Failure is { } failure)
        {
            throw failure;
        }

        var token = _tokens.Current;
        var response = await SendOnceAsync(request, token, options, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var renewed = await _tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
            response = await SendOnceAsync(request, renewed, options, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw _tokens.RejectRenewed();
            }
        }

        if ((int)response.StatusCode is >= 200 and < 300)
        {
            try
            {
                return read(response);
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new MalformedResponseException(request.Route, (int)response.StatusCode, exception);
            }
        }

        throw ToException(response);
    }

    /// <summary>
    /// One attempt: the request, then a GET redirected within the API's host (at most <see cref="MaxRedirects"/>
    /// times); a redirect elsewhere, or of any other method, is refused. Each hop is paced and counted.
    /// </summary>
    private async Task<ApiResponse> SendOnceAsync(ApiRequest request, string token, RequestOptions options, CancellationToken cancellationToken)
    {
        var uri = Resolve(request.Uri);
        for (var hops = 0; ; hops++)
        {
            var response = await SendToAsync(uri, request, token, options, cancellationToken).ConfigureAwait(false);
            if (response.RedirectTo is not { } location)
            {
                return response;
            }

            uri = new Uri(uri, location);
            var status = (int)response.StatusCode;
            if (request.Method != HttpMethod.Get)
            {
                throw RedirectRefusedException.NotGet(request.Route, status);
            }

            if (!SameAuthority(uri))
            {
                throw RedirectRefusedException.ToAnotherHost(request.Route, status, uri.Authority, Host);
            }

            if (hops == MaxRedirects)
            {
                throw RedirectRefusedException.TooMany(request.Route, MaxRedirects);
            }
        }
    }

    private async Task<ApiResponse> SendToAsync(Uri uri, ApiRequest request, string token, RequestOptions options, CancellationToken cancellationToken)
    {
        using var lease = await PaceAsync(options, cancellationToken).ConfigureAwait(false);
        _budget.Consume();
        using var message = new HttpRequestMessage(request.Method, uri) { Content = request.CreateContent() };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Accept.Add(AcceptJson);
        // One deadline covers the headers and the whole body: a server that stalls half-way is a timeout too.
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = _time.GetTimestamp();
        var answered = false;
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            answered = true;
            var redirect = (int)response.StatusCode is >= 300 and < 400 ? response.Headers.Location : null;
            var body = redirect is null ? await ReadBodyAsync(response.Content, request.Route, linked.Token).ConfigureAwait(false) : [];
            _logger.LogDebug("Constant Contact {Route} → {Status} in {Elapsed} ms", request.Route, (int)response.StatusCode, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return new ApiResponse(response.StatusCode, body, RetryAfter(response)) { Address = uri, RedirectTo = redirect };
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RequestTimeoutException(request.Route, _timeout, answered);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            var neverSent = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw new ServiceUnreachableException(Host, Reason(exception), !neverSent, exception);
        }
        catch (IOException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnreachableException(Host, Reason(exception), requestMayHaveArrived: true, exception);
        }
    }

    /// <summary>Reads the body as it arrives (decompressed), and stops as soon as it is larger than <c>max_response_bytes</c>.</summary>
    private async Task<byte[]> ReadBodyAsync(HttpContent content, string route, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var buffer = new byte[81_920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > _maxResponseBytes)
                {
                    throw new ResponseTooLargeException(route, _maxResponseBytes);
                }

                body.Write(buffer, 0, read);
            }

            return body.ToArray();
        }
    }

    /// <summary>Resolves a route or a <c>_links</c> href against the base URL, and refuses to send the token anywhere else.</summary>
    private Uri Resolve(Uri relative)
    {
        var uri = new Uri(_baseUrl, relative);
        if (!SameAuthority(uri))
        {
            throw new MalformedResponseException(relative.ToString(), 200, new JsonException($"a link points outside {Host}; it was not followed"));
        }

        return uri;
    }

    private bool SameAuthority(Uri uri) =>
        string.Equals(uri.GetLeftPart(UriPartial.Authority), _baseUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private ApiException ToException(ApiResponse response)
    {
        var excerpt = Excerpt(response.Body);
        var errors = ParseErrors(response.Body);
        if (ErrorMap.TryGetValue(response.StatusCode, out var create))
        {
            return create(response, errors, excerpt);
        }

        return (int)response.StatusCode >= 500
            ? new ServerErrorException(response.StatusCode, errors, excerpt, response.RetryAfter)
            : new ApiException(response.StatusCode, errors, excerpt);
    }

    private IReadOnlyList<ApiError> ParseErrors(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var items = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                JsonValueKind.Object => [root],
                _ => [],
            };
            return [.. items
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => new ApiError(Text(e, "error_key"), Text(e, "error_message") is { } message ? _masker.Apply(message) : null))];
        }
        catch (JsonException)
        {
            return [];
        }

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, ExcerptLength * 4)).ReplaceLineEndings(" ").Trim();
        text = _masker.Apply(text);
        return text.Length > ExcerptLength ? text[..ExcerptLength] : text.Length == 0 ? "(empty body)" : text;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow(),
        _ => null,
    };

    private string Reason(Exception exception)
    {
        var socket = exception.InnerException as SocketException ?? exception.InnerException?.InnerException as SocketException;
        var reason = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            SocketError.ConnectionReset => "connection reset",
            _ => exception.Message,
        };
        return _masker.Apply(reason);
    }
}
