using System.Net;
using System.Threading.RateLimiting;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Sinks;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Connectors.ConstantContact.Clients;

/// <summary>
/// Everything one connection uses during one run: one HTTP client, one pacer, one daily budget and one token, shared by
/// every operation through <see cref="RunResources"/>. Disposed when the run ends (the day's request count is saved).
/// </summary>
internal sealed class ConstantContactClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly RateLimiter _pacer;

    private ConstantContactClient(HttpClient http, RateLimiter pacer, DailyRequestBudget budget, ApiConnection connection, ConstantContactTuning tuning)
    {
        _http = http;
        _pacer = pacer;
        Budget = budget;
        Connection = connection;
        Tuning = tuning;
        Contacts = new ContactsClient(connection);
        Activities = new ActivitiesClient(connection);
        Named = new NamedResourcesClient(connection);
        Names = new AccountNames(Named);
    }

    public ContactsClient Contacts { get; }

    public ActivitiesClient Activities { get; }

    public NamedResourcesClient Named { get; }

    /// <summary>The account's lists, tags and custom fields by name, read once per run.</summary>
    public AccountNames Names { get; }

    public ApiConnection Connection { get; }

    public DailyRequestBudget Budget { get; }

    public ConstantContactTuning Tuning { get; }

    /// <summary>A dry run's view of the account, once <see cref="EnterPreview"/> made this a dry run's client; null otherwise.</summary>
    public PreviewAccount? Preview { get; private set; }

    /// <summary>Makes this run's client a dry run's: only GET requests leave it, names are never created, and the account is previewed.</summary>
    public PreviewAccount EnterPreview()
    {
        Connection.ReadOnly = true;
        Names.Preview = true;
        return Preview ??= new PreviewAccount(this);
    }

    /// <summary>The run's client for this connection: created on first use, then shared.</summary>
    public static ConstantContactClient For(ConnectionContext context, ConstantContactTuning tuning) =>
        context.Resources.GetOrCreate("constantcontact:" + context.ConnectionName, () => Create(context, tuning));

    private static ConstantContactClient Create(ConnectionContext context, ConstantContactTuning tuning)
    {
        var options = ConstantContactConnectionOptions.From(context.Connection);
        var time = context.TimeProvider;
        var masker = context.Masker;
        masker.Add(options.ApiKey);
        masker.Add(options.AccessToken);
        masker.Add(options.RefreshToken);
        masker.Add(options.ClientSecret);

        var handler = tuning.CreateHandler?.Invoke() ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.Timeout,
            AllowAutoRedirect = false, // ApiConnection follows a GET's redirect only within the API's host
        };
        // The API's answers are read through ApiConnection's own cap; this one bounds the token endpoint's.
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = options.MaxResponseBytes };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("EtlRunner-constantcontact/0.1");

        // An agent group shares the account's pacing and daily budget through its gate; alone, a run keeps its own.
        var account = ConstantContactConnector.Account(options);
        RateLimiter pacer = context.RequestGate is { } gate
            ? new SharedRequestPacer(gate, account, RequestLimits.PerSecond(options.RequestsPerSecond, options.Timeout + TimeSpan.FromSeconds(1)))
            : RequestPacer.PerSecond(options.RequestsPerSecond, time);
        var budget = new DailyRequestBudget(options.DailyRequestLimit, time, context.State, context.RequestGate is { } shared ? (shared, account) : null);
        var oauth = new OAuthClient(http, options.TokenUrl, options.ApiKey, options.ClientSecret, pacer, options.Timeout, time, masker);
        var tokens = new AccessTokenStore(options, context.State, oauth, masker, context.Logger);
        var pipeline = RetryPolicy.Create(options.MaxRetries, tuning, time, context.Logger);
        var connection = new ApiConnection(http, options, tokens, pacer, budget, masker, pipeline, time, context.Logger);
        context.Logger.LogDebug("Constant Contact connection {Name}: {Rate} requests/s, {Limit} requests/day", context.ConnectionName, options.RequestsPerSecond, options.DailyRequestLimit);
        return new ConstantContactClient(http, pacer, budget, connection, tuning);
    }

    public ValueTask DisposeAsync()
    {
        Budget.Save();
        _http.Dispose();
        _pacer.Dispose();
        return ValueTask.CompletedTask;
    }
}
