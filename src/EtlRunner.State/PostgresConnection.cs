using Npgsql;

namespace EtlRunner.State;

/// <summary>
/// The <c>--cluster</c> connection: an Npgsql connection string (<c>Host=db;Username=etl;Database=etl</c>) or a URL
/// (<c>postgres://user[:password]@host[:port]/database</c>). Every session it opens sets
/// <c>idle_in_transaction_session_timeout</c> and <c>lock_timeout</c>, so a frozen agent's open transaction or lock
/// cannot stall the group longer than a lease.
/// </summary>
public static class PostgresConnection
{
    /// <summary>A frozen agent's open transaction is ended by the server after this (shorter than a lease).</summary>
    public static readonly TimeSpan IdleInTransactionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A statement waiting this long for a lock fails instead of waiting on.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The Npgsql connection string, with the session settings.</summary>
    /// <exception cref="ArgumentException">Neither a URL nor a connection string; the message says the two forms.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = text.StartsWith("postgres://", StringComparison.Ordinal) || text.StartsWith("postgresql://", StringComparison.Ordinal)
                ? FromUrl(new Uri(text))
                : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException(
                "--cluster takes an Npgsql connection string (Host=127.0.0.1;Port=5432;Username=etl;Database=etl) or a URL (postgres://etl@127.0.0.1:5432/etl); "
                + $"this is neither ({ex.Message.Replace(text, Describe(text), StringComparison.Ordinal)})");
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("--cluster names no host: give Host=... or postgres://user@host:port/database");
        }

        builder.Options = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"-c idle_in_transaction_session_timeout={(int)IdleInTransactionTimeout.TotalMilliseconds} -c lock_timeout={(int)LockTimeout.TotalMilliseconds}");
        return builder;
    }

    /// <summary>The connection as logs and errors show it: host, port, database and user, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static string Describe(string text) =>
        text.Contains("://", StringComparison.Ordinal) && text.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
            ? text[..(text.IndexOf("://", StringComparison.Ordinal) + 3)] + "***" + text[at..]
            : "the text given";

    private static NpgsqlConnectionStringBuilder FromUrl(Uri url)
    {
        var user = url.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : null,
        };
        if (user.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        return builder;
    }
}
