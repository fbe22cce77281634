namespace EtlRunner.Sandbox.Tests.Support;

/// <summary>One recorded HTTP exchange, for the contract tests.</summary>
internal sealed record Exchange(string Method, string Path, int Status, string? ContentType, string Body);

/// <summary>Records every exchange that goes through the test client.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<Exchange> _exchanges = [];

    public RecordingHandler()
        : base(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
    }

    public IReadOnlyList<Exchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _exchanges];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        lock (_gate)
        {
            _exchanges.Add(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType, body));
        }

        return response;
    }
}
