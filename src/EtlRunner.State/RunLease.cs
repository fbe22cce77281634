using System.Globalization;
using EtlRunner.Scheduling;
using Npgsql;

namespace EtlRunner.State;

/// <summary>
/// The lease of one fire of a schedule in an agent group: a row of <see cref="PostgresSchema.Leases"/> per (pipeline,
/// schedule, fire time) holding its owner, a fencing token and an expiry. It is taken only when free or expired (the
/// token goes up by one at each take) and only while no other fire of the pipeline holds a live lease (runs of one
/// pipeline are not interleaved, as the run lock file ensures on one machine). While held it is renewed every
/// <see cref="RenewEvery"/>; unrenewed it lasts <see cref="Duration"/>. Expiry is the database's clock, so the agents'
/// clocks never matter. Every write of a run's state carries the token (<see cref="PostgresStateStore"/>), so an agent
/// that lost its lease (frozen, cut off) can write nothing more once another took it.
/// </summary>
public sealed class RunLease : IDisposable
{
    /// <summary>How long a lease lasts without renewal: an agent that dies is replaced after this at most.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    /// <summary>How often a held lease is renewed (a third of <see cref="Duration"/>).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    /// <summary>A batch is sent only while at least this much of the lease is left.</summary>
    public static readonly TimeSpan SendMargin = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly ITimer _renewal;
    private long _renewedAt;
    private volatile string? _lost;

    private RunLease(NpgsqlDataSource source, string pipeline, ScheduleFire fire, string owner, long token, TimeProvider time)
    {
        (_source, Pipeline, Fire, Owner, Token, _time) = (source, pipeline, fire, owner, token, time);
        _renewedAt = time.GetTimestamp();
        _renewal = time.CreateTimer(_ => Renew(), null, RenewEvery, RenewEvery);
    }

    public string Pipeline { get; }

    public ScheduleFire Fire { get; }

    public string Owner { get; }

    /// <summary>The fencing token: higher than that of every earlier take of this fire.</summary>
    public long Token { get; }

    /// <summary>Why this agent may no longer write for the fire, or null while it holds the lease.</summary>
    public string? Lost => _lost;

    /// <summary>
    /// Tries to take the lease of <paramref name="fire"/> for <paramref name="owner"/>, or of an earlier fire of the same
    /// schedule whose lease ran out before its run finished (its agent died): that fire is taken over instead (see
    /// <see cref="Fire"/>), so its run is resumed as the run of its own fire time. Refused (with the reason, and
    /// how long until the holder's lease runs out) while another agent holds it or another fire of the pipeline runs;
    /// <see cref="LeaseOffer.Finished"/> when a run already finished this fire.
    /// </summary>
    public static LeaseOffer TryTake(NpgsqlDataSource source, string pipeline, ScheduleFire fire, string owner, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fire);
        try
        {
            return Take(source, pipeline, fire, owner, time);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            // A frozen agent's open transaction holds the row; the server ends it after idle_in_transaction_session_timeout.
            return LeaseOffer.Refused("the lease row is locked by another agent's open transaction", TimeSpan.FromSeconds(1));
        }
    }

    private static LeaseOffer Take(NpgsqlDataSource source, string pipeline, ScheduleFire fire, string owner, TimeProvider time)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        PostgresSql.Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('etl-lease:' || @p))", ("p", pipeline));
        if (PostgresSql.Command(connection, transaction,
            """
            SELECT fire_time FROM etl_leases WHERE pipeline = @p AND schedule = @s AND fire_time <> @f AND finished_at IS NULL AND expires_at <= now()
            ORDER BY fire_time LIMIT 1
            """, ("p", pipeline), ("s", fire.Name), ("f", fire.FireTimeText)).ExecuteScalar() is string interrupted)
        {
            fire = new ScheduleFire(fire.Name, ScheduleFire.Parse(interrupted)); // its agent died: this fire takes it over, and resumes its run
        }

        using (var other = PostgresSql.Command(connection, transaction,
            """
            SELECT schedule, fire_time, owner, extract(epoch FROM expires_at - now()) FROM etl_leases
            WHERE pipeline = @p AND finished_at IS NULL AND expires_at > now() AND NOT (schedule = @s AND fire_time = @f)
            ORDER BY expires_at DESC LIMIT 1
            """, ("p", pipeline), ("s", fire.Name), ("f", fire.FireTimeText)).ExecuteReader())
        {
            if (other.Read())
            {
                return LeaseOffer.Refused(
                    $"agent {other.GetString(2)} is running {pipeline} for schedule {other.GetString(0)} fire {other.GetString(1)}; runs of one pipeline are not interleaved",
                    Seconds(other.GetDouble(3)));
            }
        }

        using (var held = PostgresSql.Command(connection, transaction,
            "SELECT owner, outcome, finished_at IS NOT NULL, extract(epoch FROM expires_at - now()) FROM etl_leases WHERE pipeline = @p AND schedule = @s AND fire_time = @f FOR UPDATE",
            ("p", pipeline), ("s", fire.Name), ("f", fire.FireTimeText)).ExecuteReader())
        {
            if (held.Read())
            {
                if (held.GetBoolean(2))
                {
                    return LeaseOffer.Done($"agent {held.GetString(0)} already ran this fire ({(held.IsDBNull(1) ? "finished" : held.GetString(1))})");
                }

                if (held.GetDouble(3) > 0)
                {
                    return LeaseOffer.Refused($"agent {held.GetString(0)} holds the lease of this fire", Seconds(held.GetDouble(3)));
                }
            }
        }

        var token = (long)PostgresSql.Command(connection, transaction,
            """
            INSERT INTO etl_leases (pipeline, schedule, fire_time, owner, token, expires_at) VALUES (@p, @s, @f, @o, 1, now() + @d)
            ON CONFLICT (pipeline, schedule, fire_time) DO UPDATE SET owner = EXCLUDED.owner, token = etl_leases.token + 1, expires_at = EXCLUDED.expires_at
            RETURNING token
            """, ("p", pipeline), ("s", fire.Name), ("f", fire.FireTimeText), ("o", owner), ("d", Duration)).ExecuteScalar()!;
        PostgresSql.Execute(connection, transaction,
            """
            UPDATE etl_attempts SET end_time = now() - @d, outcome = 'lease lost' WHERE pipeline = @p AND schedule = @s AND fire_time = @f AND end_time IS NULL;
            INSERT INTO etl_attempts (pipeline, schedule, fire_time, token, agent, start_time) VALUES (@p, @s, @f, @t, @o, now());
            """, ("p", pipeline), ("s", fire.Name), ("f", fire.FireTimeText), ("t", token), ("o", owner), ("d", Duration));
        transaction.Commit();
        return LeaseOffer.Taken(new RunLease(source, pipeline, fire, owner, token, time));
    }

    /// <summary>
    /// Refuses a write unless this lease still holds the fire's row (the same token), with at least
    /// <see cref="SendMargin"/> left when <paramref name="sending"/> a batch: run inside the write's transaction, the
    /// row locked so that no take can come between the check and the write.
    /// </summary>
    /// <exception cref="LeaseLostException">Another agent took the lease, or too little of it is left to send.</exception>
    internal void Check(NpgsqlConnection connection, NpgsqlTransaction transaction, bool sending)
    {
        if (_lost is { } lost)
        {
            throw new LeaseLostException(lost);
        }

        if (sending && _time.GetElapsedTime(Interlocked.Read(ref _renewedAt)) > Duration - SendMargin)
        {
            throw new LeaseLostException(string.Create(CultureInfo.InvariantCulture,
                $"the lease of {Describe()} was last renewed {_time.GetElapsedTime(Interlocked.Read(ref _renewedAt)).TotalSeconds:0.0} s ago (this agent was frozen, or cut off from PostgreSQL): no further batch is sent"));
        }

        using var reader = PostgresSql.Command(connection, transaction,
            "SELECT token, owner, expires_at - now() > @m FROM etl_leases WHERE pipeline = @p AND schedule = @s AND fire_time = @f FOR SHARE",
            ("p", Pipeline), ("s", Fire.Name), ("f", Fire.FireTimeText), ("m", SendMargin)).ExecuteReader();
        var found = reader.Read();
        if (!found || reader.GetInt64(0) != Token)
        {
            var taker = found ? $"agent {reader.GetString(1)} (token {reader.GetInt64(0)})" : "nobody (the lease row is gone)";
            throw new LeaseLostException(_lost = $"the lease of {Describe()} was taken over by {taker}: this agent (token {Token}) stops the run without further writes; the holder resumes it");
        }

        if (sending && !reader.GetBoolean(2))
        {
            throw new LeaseLostException($"the lease of {Describe()} has less than {SendMargin.TotalSeconds:0} s left: no further batch is sent");
        }
    }

    /// <summary>
    /// Ends the lease: the fire is done (whatever the outcome), and a recovered copy of it will not run again. When the
    /// run was an interrupted one this fire resumed, the fire it was started for is done too.
    /// </summary>
    public void Finish(string? runId, string outcome)
    {
        _renewal.Dispose();
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Check(connection, transaction, sending: false);
        PostgresSql.Execute(connection, transaction,
            """
            UPDATE etl_leases SET finished_at = now(), outcome = @o, run_id = @r WHERE pipeline = @p AND schedule = @s AND fire_time = @f AND token = @t;
            UPDATE etl_attempts SET end_time = now(), outcome = @o, run_id = coalesce(@r, run_id) WHERE pipeline = @p AND schedule = @s AND fire_time = @f AND token = @t;
            UPDATE etl_attempts a SET end_time = l.expires_at, outcome = 'lease lost' FROM etl_leases l
                WHERE l.run_id = @r AND l.finished_at IS NULL AND l.expires_at < now() AND a.pipeline = l.pipeline AND a.schedule = l.schedule AND a.fire_time = l.fire_time AND a.end_time IS NULL;
            UPDATE etl_leases SET finished_at = now(), outcome = @o || ' (resumed by fire ' || @f || ')' WHERE run_id = @r AND finished_at IS NULL AND expires_at < now();
            """, ("p", Pipeline), ("s", Fire.Name), ("f", Fire.FireTimeText), ("t", Token), ("o", outcome), ("r", runId));
        transaction.Commit();
    }

    /// <summary>Records the run this attempt runs (a resumed run keeps the interrupted one's id).</summary>
    internal void Attach(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId) => PostgresSql.Execute(connection, transaction,
        "UPDATE etl_attempts SET run_id = @r WHERE pipeline = @p AND schedule = @s AND fire_time = @f AND token = @t; UPDATE etl_leases SET run_id = @r WHERE pipeline = @p AND schedule = @s AND fire_time = @f AND token = @t",
        ("p", Pipeline), ("s", Fire.Name), ("f", Fire.FireTimeText), ("t", Token), ("r", runId));

    public string Describe() => $"{Pipeline} schedule {Fire.Name} fire {Fire.FireTimeText}";

    public void Dispose() => _renewal.Dispose();

    private void Renew()
    {
        if (_lost is not null)
        {
            return;
        }

        var started = _time.GetTimestamp();
        try
        {
            using var connection = _source.OpenConnection();
            var renewed = PostgresSql.Command(connection, null,
                "UPDATE etl_leases SET expires_at = now() + @d WHERE pipeline = @p AND schedule = @s AND fire_time = @f AND token = @t AND finished_at IS NULL",
                ("p", Pipeline), ("s", Fire.Name), ("f", Fire.FireTimeText), ("t", Token), ("d", Duration)).ExecuteNonQuery();
            if (renewed == 1)
            {
                Interlocked.Exchange(ref _renewedAt, started);
            }
            else
            {
                _lost = $"the lease of {Describe()} was taken over by another agent while this one (token {Token}) could not renew it: it stops the run without further writes";
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Unreachable for now: the lease runs out unless a later renewal succeeds, and sending stops before that.
        }
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds));
}

/// <summary>The answer to <see cref="RunLease.TryTake"/>: the lease, or why not and when to try again.</summary>
public sealed record LeaseOffer(RunLease? Lease, string? Refusal, TimeSpan? FreeIn, bool Finished)
{
    public static LeaseOffer Taken(RunLease lease) => new(lease, null, null, false);

    public static LeaseOffer Refused(string reason, TimeSpan freeIn) => new(null, reason, freeIn, false);

    public static LeaseOffer Done(string reason) => new(null, reason, null, true);
}
