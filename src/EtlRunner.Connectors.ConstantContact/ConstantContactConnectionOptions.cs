using System.Globalization;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// A <c>constantcontact</c> connection's fields, read from the resolved settings (an empty string means "not set"),
/// with the defaults of <see cref="ConstantContactParameters"/> applied here only.
/// </summary>
internal sealed record ConstantContactConnectionOptions
{
    public required string ApiKey { get; init; }

    public required string AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>The API root, ending in a slash so relative routes resolve under it.</summary>
    public required Uri BaseUrl { get; init; }

    public required Uri TokenUrl { get; init; }

    public required double RequestsPerSecond { get; init; }

    public required long DailyRequestLimit { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required int MaxRetries { get; init; }

    public required long MaxResponseBytes { get; init; }

    public bool CanRefresh => RefreshToken is not null && ClientSecret is not null;

    public static ConstantContactConnectionOptions From(Settings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ConstantContactConnectionOptions
        {
            ApiKey = connection.GetRequiredString(ConstantContactParameters.ApiKey),
            AccessToken = connection.GetRequiredString(ConstantContactParameters.AccessToken),
            RefreshToken = Optional(connection, ConstantContactParameters.RefreshToken),
            ClientSecret = Optional(connection, ConstantContactParameters.ClientSecret),
            BaseUrl = WithTrailingSlash(ParseUrl(connection, ConstantContactParameters.BaseUrl, ConstantContactParameters.DefaultBaseUrl)),
            TokenUrl = ParseUrl(connection, ConstantContactParameters.TokenUrl, ConstantContactParameters.DefaultTokenUrl),
            RequestsPerSecond = connection.GetDouble(ConstantContactParameters.RequestsPerSecond) ?? ConstantContactParameters.DefaultRequestsPerSecond,
            DailyRequestLimit = connection.GetInt64(ConstantContactParameters.DailyRequestLimit) ?? ConstantContactParameters.DefaultDailyRequestLimit,
            Timeout = TimeSpan.FromSeconds(connection.GetDouble(ConstantContactParameters.TimeoutSeconds) ?? ConstantContactParameters.DefaultTimeoutSeconds),
            MaxRetries = connection.GetInt32(ConstantContactParameters.MaxRetries, ConstantContactParameters.DefaultMaxRetries),
            MaxResponseBytes = connection.GetInt64(ConstantContactParameters.MaxResponseBytes) ?? ConstantContactParameters.DefaultMaxResponseBytes,
        };
    }

    /// <summary>The setting's text, or null when absent or empty (<c>[cc_refresh_token{}]</c> resolves to "").</summary>
    public static string? Optional(Settings settings, string name) =>
        settings.GetString(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public static bool TryParseUrl(string? text, out Uri url)
    {
        url = null!;
        return Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            && (url = parsed) is not null;
    }

    private static Uri ParseUrl(Settings settings, string name, string defaultValue)
    {
        var text = Optional(settings, name) ?? defaultValue;
        return TryParseUrl(text, out var url)
            ? url
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The setting '{name}' is not an http(s) URL: {text}."));
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new UriBuilder(url) { Path = url.AbsolutePath + "/" }.Uri;
}
