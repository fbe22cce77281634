using EtlRunner.Connectors;
using Npgsql;
using NpgsqlTypes;

namespace EtlRunner.State;

/// <summary>
/// An agent group's <see cref="IRequestGate"/> in PostgreSQL, so the agents together never send an account more
/// than its <c>requests_per_second</c> nor past its <c>daily_request_limit</c>. An account has one row per request slot
/// (<c>etl_request_slots</c>) with the time from which it may be taken: taking one moves that time to the hold's end
/// (a holder that dies loses it then), giving it back to one window after the answer came. Both happen in one
/// statement on the database's clock, the one clock every agent shares; a slot is taken under <c>FOR UPDATE SKIP
/// LOCKED</c>, so two agents never take the same one. The day's count is one row per account and UTC day
/// (<c>etl_request_days</c>), raised only while below the limit. The tables are created on first use.
/// </summary>
public sealed class PostgresRequestGate : IRequestGate, IAsyncDisposable
{
    /// <summary>Added to the window, as the in-process pacer does, for the server's clock ticks.</summary>
    private static readonly TimeSpan SafetyMargin = TimeSpan.FromMilliseconds(5);

    /// <summary>The longest wait between two tries while every slot is in flight (a slot may come back any moment).</summary>
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(100);

    private const string Schema = """
        SELECT pg_advisory_xact_lock(hashtext('etl_request_gate'));
        CREATE TABLE IF NOT EXISTS etl_request_slots (
            account text NOT NULL, slot int NOT NULL, free_from timestamptz NOT NULL, taken bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (account, slot));
        CREATE TABLE IF NOT EXISTS etl_request_days (
            account text NOT NULL, day date NOT NULL, used bigint NOT NULL, PRIMARY KEY (account, day));
        """;

    private const string AddSlots = """
        INSERT INTO etl_request_slots (account, slot, free_from)
        SELECT @account, n, '-infinity' FROM generate_series(1, @permits) n ON CONFLICT DO NOTHING
        """;

    private const string Take = """
        WITH free AS (
            SELECT slot FROM etl_request_slots
            WHERE account = @account AND slot <= @permits AND free_from <= clock_timestamp()
            ORDER BY free_from LIMIT 1 FOR UPDATE SKIP LOCKED)
        UPDATE etl_request_slots s SET free_from = clock_timestamp() + @hold + @window, taken = s.taken + 1
        FROM free WHERE s.account = @account AND s.slot = free.slot
        RETURNING s.slot, s.taken
        """;

    private const string NextFree = """
        SELECT EXTRACT(EPOCH FROM min(free_from) - clock_timestamp())::float8 FROM etl_request_slots
        WHERE account = @account AND slot <= @permits
        """;

    private const string GiveBack = """
        UPDATE etl_request_slots SET free_from = clock_timestamp() + @window
        WHERE account = @account AND slot = @slot AND taken = @taken
        """;

    private const string Count = """
        INSERT INTO etl_request_days AS d (account, day, used) VALUES (@account, @day, 1)
        ON CONFLICT (account, day) DO UPDATE SET used = d.used + 1 WHERE d.used < @limit
        RETURNING d.used
        """;

    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _schema;
    private readonly HashSet<(string, int)> _accounts = [];

    /// <param name="connectionString">An Npgsql connection string to the group's database.</param>
    public PostgresRequestGate(string connectionString, TimeProvider time)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        _time = time;
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    public async ValueTask<IDisposable> TakeSlotAsync(string account, RequestLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await _schema.Value.ConfigureAwait(false);
        var window = limits.Window + SafetyMargin;
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Remember(account, limits.Permits))
        {
            await ExecuteAsync(connection, AddSlots, cancellationToken, ("account", account), ("permits", limits.Permits)).ConfigureAwait(false);
        }

        while (true)
        {
            await using (var take = Command(connection, Take, ("account", account), ("permits", limits.Permits), ("hold", limits.Hold), ("window", window)))
            await using (var reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return new Slot(this, account, reader.GetInt32(0), reader.GetInt64(1), window);
                }
            }

            await using var next = Command(connection, NextFree, ("account", account), ("permits", limits.Permits));
            var seconds = await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is double s ? s : 0;
            var wait = TimeSpan.FromSeconds(Math.Clamp(seconds, 0.001, MaxPoll.TotalSeconds));
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public bool TryCountRequest(string account, DateOnly day, long dailyLimit)
    {
        if (dailyLimit <= 0)
        {
            return false;
        }

        _schema.Value.GetAwaiter().GetResult();
        using var connection = _source.OpenConnection();
        using var command = Command(connection, Count, ("account", account), ("day", day), ("limit", dailyLimit));
        return command.ExecuteScalar() is not null;
    }

    /// <summary>The requests counted for the account on <paramref name="day"/> (UTC) by every holder of the gate.</summary>
    public long UsedOn(string account, DateOnly day)
    {
        _schema.Value.GetAwaiter().GetResult();
        using var connection = _source.OpenConnection();
        using var command = Command(connection, "SELECT used FROM etl_request_days WHERE account = @account AND day = @day", ("account", account), ("day", day));
        return command.ExecuteScalar() is long used ? used : 0;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private bool Remember(string account, int permits)
    {
        lock (_accounts)
        {
            return _accounts.Add((account, permits));
        }
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = await _source.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
        {
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private void GiveBackSlot(string account, int slot, long taken, TimeSpan window)
    {
        try
        {
            using var connection = _source.OpenConnection();
            using var command = Command(connection, GiveBack, ("account", account), ("slot", slot), ("taken", taken), ("window", window));
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The database is unreachable: the slot frees at the end of its hold, as a dead holder's does.
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is TimeSpan span
                ? new NpgsqlParameter(name, NpgsqlDbType.Interval) { Value = span }
                : new NpgsqlParameter(name, value));
        }

        return command;
    }

    /// <summary>A taken slot; disposing gives it back (once), freeing it one window later.</summary>
    private sealed class Slot(PostgresRequestGate gate, string account, int slot, long taken, TimeSpan window) : IDisposable
    {
        private int _given;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
            {
                gate.GiveBackSlot(account, slot, taken, window);
            }
        }
    }
}
