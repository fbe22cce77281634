using EtlRunner.Scheduling;
using Npgsql;

namespace EtlRunner.State.Tests;

/// <summary>
/// <see cref="PostgresStateStore"/> on the real PostgreSQL of the tests: the <see cref="StateStoreBehaviour"/> of every
/// store, and the group's own: leases with fencing tokens, fenced writes, and the per-connection lock.
/// </summary>
public sealed class PostgresStateStoreTests : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(PostgresConnection.Parse(PostgresServer.ConnectionString)));
    private readonly string _pipeline = "tests:" + Guid.NewGuid().ToString("N")[..8] + ".yaml";
    private readonly ScheduleFire _fire = new("every-2s", new DateTimeOffset(2026, 12, 2, 8, 0, 2, TimeSpan.Zero));

    private readonly string _run = "run-" + Guid.NewGuid().ToString("N")[..8];

    private NpgsqlDataSource Source => _source.Value;

    private PostgresStateStore Open() => new(Source);

    public void Dispose()
    {
        if (_source.IsValueCreated)
        {
            _source.Value.Dispose();
        }
    }

    [PostgresFact]
    public void History_OperationsOfTwoRuns_AreReadBackNewestFirstAfterReopening() => new StateStoreBehaviour(Open).History_OperationsOfTwoRuns_AreReadBackNewestFirstAfterReopening();

    [PostgresFact]
    public void Ledger_PendingThenConfirmed_IsKeptUntilTheOperationFinishesItsJob() => new StateStoreBehaviour(Open).Ledger_PendingThenConfirmed_IsKeptUntilTheOperationFinishesItsJob();

    [PostgresFact]
    public void Ledger_Settle_KeepsTheRejectsLengthOfTheRunsEntries() => new StateStoreBehaviour(Open).Ledger_Settle_KeepsTheRejectsLengthOfTheRunsEntries();

    [PostgresFact]
    public void Watermark_SetWithTheOperationsEnd_ClearedOnRequest() => new StateStoreBehaviour(Open).Watermark_SetWithTheOperationsEnd_ClearedOnRequest();

    [PostgresFact]
    public void ConnectorState_IsKeptPerPipelineAndConnection() => new StateStoreBehaviour(Open).ConnectorState_IsKeptPerPipelineAndConnection();

    [PostgresFact]
    public void Interrupted_RunStillMarkedRunning_IsFoundWithTheOperationsItFinished() => new StateStoreBehaviour(Open).Interrupted_RunStillMarkedRunning_IsFoundWithTheOperationsItFinished();

    [PostgresFact]
    public void Lease_TakenWhileHeldOrAfterItsRunFinished_IsRefusedAndEachTakeRaisesTheToken()
    {
        // Given: agent a holds the fire's lease
        PostgresStateStore.CreateSchema(Source);
        using var first = Take("agent-a");

        // When: b asks for the same fire, and for another fire of the pipeline, while a holds it; then a's lease runs out
        var held = RunLease.TryTake(Source, _pipeline, _fire, "agent-b", TimeProvider.System);
        var otherFire = RunLease.TryTake(Source, _pipeline, new ScheduleFire("every-2s", _fire.FireTime.AddSeconds(2)), "agent-b", TimeProvider.System);
        Expire();
        using var second = Take("agent-b");
        second.Finish(_run, "success");
        var again = RunLease.TryTake(Source, _pipeline, _fire, "agent-a", TimeProvider.System);

        // Then
        Assert.Null(held.Lease);
        Assert.Equal("agent agent-a holds the lease of this fire", held.Refusal);
        Assert.InRange(held.FreeIn!.Value, TimeSpan.FromSeconds(10), RunLease.Duration);
        Assert.StartsWith($"agent agent-a is running {_pipeline} for schedule every-2s fire {_fire.FireTimeText}", otherFire.Refusal, StringComparison.Ordinal);
        Assert.Equal((1L, 2L), (first.Token, second.Token));
        Assert.True(again.Finished);
        Assert.Equal("agent agent-b already ran this fire (success)", again.Refusal);
        Assert.Equal([("agent-a", 1L, "lease lost"), ("agent-b", 2L, "success")], [Attempt(1), Attempt(2)]);
    }

    [PostgresFact]
    public void Lease_NextFireAfterAnAgentDiedMidRun_TakesOverTheInterruptedFire()
    {
        // Given: agent a's lease of a fire ran out before its run finished (a died)
        PostgresStateStore.CreateSchema(Source);
        Take("agent-a").Dispose();
        Expire();

        // When: the next fire of the schedule comes to agent b
        using var next = RunLease.TryTake(Source, _pipeline, new ScheduleFire("every-2s", _fire.FireTime.AddSeconds(2)), "agent-b", TimeProvider.System).Lease!;

        // Then: b holds the interrupted fire's lease, with the next token, so its run is resumed as that fire's
        Assert.Equal((_fire.FireTimeText, 2L, "agent-b"), (next.Fire.FireTimeText, next.Token, next.Owner));
        Assert.Equal(("agent-a", 1L, "lease lost"), Attempt(1));
    }

    [PostgresFact]
    public void FencedWrites_AfterAnotherAgentTookTheLease_AreRefusedAndChangeNothing()
    {
        // Given: agent a runs the fire, with a pending batch; its lease runs out and b takes it
        PostgresStateStore.CreateSchema(Source);
        var lease = Take("agent-a");
        using var store = new PostgresStateStore(Source, lease);
        store.RunStarted(new RunEntry(_run, _pipeline, "tests", "default", _fire.FireTime) { Resumable = true, Schedule = _fire });
        var ledger = store.Ledger(_pipeline, "Load");
        ledger.MarkPending(1, "hash-1", _run, new LedgerMark(0, null));
        Expire();
        using var taken = Take("agent-b");

        // When: a wakes and writes
        var refusals = new Action[]
        {
            () => ledger.MarkDone(1, _run, new LedgerMark(10, null)),
            () => ledger.MarkPending(2, "hash-2", _run, new LedgerMark(10, null)),
            () => store.SetWatermark(_pipeline, "Load", "42", _run),
            () => store.OperationFinished(
                new OperationEntry(_run, _pipeline, "tests", "default", "Load", _fire.FireTime, _fire.FireTime, "success", 1, 0, 1, 0, 0, null, null) { Globals = "{\"n\":1}" },
                new OperationCompletion("{\"n\":1}", "42", ClearLedger: true)),
            () => store.RunFinished(_run, "success", _fire.FireTime),
        }.Select(write => Assert.Throws<LeaseLostException>(write)).ToList();

        // Then: every write was refused, naming who took the lease, and nothing changed
        Assert.All(refusals, r => Assert.Contains("was taken over by agent agent-b (token 2): this agent (token 1) stops the run without further writes", r.Message, StringComparison.Ordinal));
        using var plain = Open();
        Assert.Equal(LedgerState.Pending, Assert.Single(plain.Ledger(_pipeline, "Load").Load()).Value.State);
        Assert.Null(plain.GetWatermark(_pipeline, "Load"));
        Assert.Empty(plain.History(_pipeline, null, 10));
        Assert.Equal("running", plain.FindInterrupted(_pipeline)?.Status);
        Assert.Throws<LeaseLostException>(() => lease.Finish(_run, "success"));
    }

    [PostgresFact]
    public void MarkPending_LeaseNearItsEnd_IsRefusedWhileConfirmingStillWorks()
    {
        // Given: a run's lease with less than the send margin left in the database
        PostgresStateStore.CreateSchema(Source);
        using var lease = Take("agent-a");
        using var store = new PostgresStateStore(Source, lease);
        var ledger = store.Ledger(_pipeline, "Load");
        ledger.MarkPending(1, "hash-1", _run, new LedgerMark(0, null));
        Sql($"UPDATE etl_leases SET expires_at = now() + interval '2 seconds' WHERE pipeline = '{_pipeline}'");

        // When
        var refused = Assert.Throws<LeaseLostException>(() => ledger.MarkPending(2, "hash-2", _run, new LedgerMark(0, null)));
        ledger.MarkDone(1, _run, new LedgerMark(5, null));

        // Then
        Assert.Equal($"the lease of {_pipeline} schedule every-2s fire {_fire.FireTimeText} has less than 5 s left: no further batch is sent", refused.Message);
        Assert.Equal([1L], ledger.Load().Keys);
        Assert.Equal(LedgerState.Done, ledger.Load()[1].State);
    }

    [PostgresFact]
    public void MarkPending_LeaseUnrenewedLongerThanItsMargin_IsRefusedBeforeAskingTheDatabase()
    {
        // Given: a lease whose agent's clock moved on 11 s without a renewal (frozen)
        PostgresStateStore.CreateSchema(Source);
        var time = new FrozenAgentClock();
        using var lease = Take("agent-a", time);
        using var store = new PostgresStateStore(Source, lease);
        time.Elapsed = TimeSpan.FromSeconds(11);

        // When
        var refused = Assert.Throws<LeaseLostException>(() => store.Ledger(_pipeline, "Load").MarkPending(1, "hash-1", _run, new LedgerMark(0, null)));

        // Then
        Assert.Contains("was last renewed 11.0 s ago (this agent was frozen, or cut off from PostgreSQL): no further batch is sent", refused.Message, StringComparison.Ordinal);
        Assert.Empty(store.Ledger(_pipeline, "Load").Load());
    }

    [PostgresFact]
    public void Rejects_ConfirmedWithTheirBatch_AreNumberedInOrderAndCutBackToTheLedgersMark()
    {
        // Given: a run that confirmed two batches with their rejects, and kept a stopped record's line besides
        PostgresStateStore.CreateSchema(Source);
        using var lease = Take("agent-a");
        using var store = new PostgresStateStore(Source, lease);
        var ledger = store.Ledger(_pipeline, "Load");
        ledger.MarkPending(1, "hash-1", _run, new LedgerMark(0, null));
        ledger.MarkDone(1, _run, new LedgerMark(2, null), ["{\"n\":1}", "{\"n\":2}"]);
        ledger.MarkPending(2, "hash-2", _run, new LedgerMark(2, null));
        ledger.MarkDone(2, _run, new LedgerMark(3, null), ["{\"n\":3}"]);
        store.Rejects.Append(_pipeline, _run, "Load", 3, ["{\"n\":4}"]);

        // When: the run that resumes it cuts its lines back to what the ledger confirmed
        var before = store.Rejects.Count(_run, "Load");
        var operations = store.Rejects.Operations(_run);
        var cut = store.Rejects.Cut(_run, "Load", ledger.Load()[2].Mark.RejectsLength);

        // Then
        Assert.Equal(4L, before);
        Assert.Equal([("Load", 4L)], operations);
        Assert.Equal(1, cut);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"], store.Rejects.Lines(_run, "Load"));
        Assert.Equal(3L, ledger.Load()[2].Mark.RejectsLength);
        Assert.StartsWith("etl_rejects in postgres://", store.Rejects.Describe(_run, "Load"), StringComparison.Ordinal);
        Assert.EndsWith($"(run {_run}, operation Load)", store.Rejects.Describe(_run, "Load"), StringComparison.Ordinal);
        Assert.Matches("^PostgreSQL at postgres://[^:@/]+@127\\.0\\.0\\.1:\\d+/[^/]+$", store.Location); // what a failed ledger write names
    }

    [PostgresFact]
    public void Rejects_OfAFencedAgent_AreRefusedWithItsLedgerWritesAndNoneIsKept()
    {
        // Given: agent a runs the fire with a pending batch; its lease runs out and b takes it
        PostgresStateStore.CreateSchema(Source);
        var lease = Take("agent-a");
        using var store = new PostgresStateStore(Source, lease);
        var ledger = store.Ledger(_pipeline, "Load");
        ledger.MarkPending(1, "hash-1", _run, new LedgerMark(0, null));
        Expire();
        using var taken = Take("agent-b");

        // When: a wakes and confirms its batch with its rejects, then stores the lines of what it left
        var refusals = new Action[]
        {
            () => ledger.MarkDone(1, _run, new LedgerMark(2, null), ["{\"late\":1}", "{\"late\":2}"]),
            () => store.Rejects.Append(_pipeline, _run, "Load", 0, ["{\"late\":3}"]),
            () => store.Rejects.Cut(_run, "Load", 0),
        }.Select(write => Assert.Throws<LeaseLostException>(write)).ToList();

        // Then: refused like its ledger writes, naming who holds the lease; the batch stays pending, no line is kept
        Assert.All(refusals, r => Assert.Contains("was taken over by agent agent-b (token 2)", r.Message, StringComparison.Ordinal));
        using var plain = Open();
        Assert.Equal(LedgerState.Pending, Assert.Single(plain.Ledger(_pipeline, "Load").Load()).Value.State);
        Assert.Equal(0L, plain.Rejects.Count(_run, "Load"));
    }

    [PostgresFact]
    public void Forget_PipelineWithRejects_DeletesThemWithTheRestOfItsState()
    {
        // Given
        using var store = Open();
        store.RunStarted(new RunEntry(_run, _pipeline, "tests", "default", _fire.FireTime));
        store.Rejects.Append(_pipeline, _run, "Load", 0, ["{\"n\":1}", "{\"n\":2}"]);

        // When
        var deleted = store.Forget(_pipeline);

        // Then
        Assert.Equal(3, deleted);
        Assert.Equal(0L, store.Rejects.Count(_run, "Load"));
    }

    [PostgresFact]
    public async Task ConnectorState_ExclusiveUpdatesOfTwoAgents_RunOneAfterTheOther()
    {
        // Given: two agents' stores on one connection's state
        using var first = Open();
        using var second = Open();
        var inside = 0;
        var overlapped = false;
        async Task<int> Refresh(IStateStore store, string token)
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            await Task.Delay(300);
            store.ConnectorState(_pipeline, "Constant Contact").Set("refresh_token", token);
            Interlocked.Decrement(ref inside);
            return 0;
        }

        // When
        await Task.WhenAll(
            first.ConnectorState(_pipeline, "Constant Contact").ExclusiveAsync(() => Refresh(first, "a"), CancellationToken.None),
            second.ConnectorState(_pipeline, "Constant Contact").ExclusiveAsync(() => Refresh(second, "b"), CancellationToken.None));

        // Then
        Assert.False(overlapped);
        Assert.Contains(first.ConnectorState(_pipeline, "Constant Contact").Get("refresh_token"), new[] { "a", "b" });
    }

    private RunLease Take(string owner, TimeProvider? time = null) =>
        RunLease.TryTake(Source, _pipeline, _fire, owner, time ?? TimeProvider.System).Lease ?? throw new InvalidOperationException("the lease was not free");

    /// <summary>Ends the current lease of the fire as if its holder had stopped renewing it 15 s ago.</summary>
    private void Expire() => Sql($"UPDATE etl_leases SET expires_at = now() - interval '1 second' WHERE pipeline = '{_pipeline}'");

    private (string, long, string?) Attempt(long token)
    {
        using var connection = Source.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT agent, outcome FROM etl_attempts WHERE pipeline = '{_pipeline}' AND token = {token}", connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetString(0), token, reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private void Sql(string sql)
    {
        using var connection = Source.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>The clock of a frozen agent: time passes, its timers (the lease's renewal) never fire.</summary>
    private sealed class FrozenAgentClock : TimeProvider
    {
        public TimeSpan Elapsed { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Elapsed.Ticks;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NeverFires();

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
