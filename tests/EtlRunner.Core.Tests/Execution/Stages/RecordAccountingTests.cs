using System.Text.Json;
using EtlRunner.Connectors;
using EtlRunner.Execution;
using EtlRunner.Execution.Stages;
using EtlRunner.Expressions;
using EtlRunner.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EtlRunner.Core.Tests.Execution.Stages;

public sealed class RecordAccountingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly OperationStop _stop = new("Load", NullLogger.Instance, new SecretMasker());
    private readonly OperationStats _stats = new();
    private readonly RejectsWriter _rejects;

    public RecordAccountingTests()
    {
        _rejects = new RejectsWriter(_folder.File("Load.jsonl"), "Load", new SecretMasker(), new FakeTimeProvider(), failed: (reason, ex) => _stop.Stop(StopCause.StateFailure, reason, ex));
    }

    public void Dispose()
    {
        _stop.Dispose();
        _folder.Dispose();
    }

    private RecordAccounting Accounting(ChangeLimit? maxRejects = null) => new(_stats, _rejects, maxRejects, _stop);

    private List<JsonElement> Lines()
    {
        _rejects.Flush();
        return [.. File.ReadAllLines(_folder.File("Load.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public void Unfinished_AfterAStop_RejectsEachRecordWithTheStopAsItsReasonAndCountsIt()
    {
        var accounting = Accounting();
        _stats.AddRead(3);
        _stop.Stop(StopCause.TimedOut, "timed out after 00:00:05 (options.timeout)");

        accounting.Unfinished(Some.Records(3, "email"), StageName.Transform);

        Assert.Equal(new OperationCounts(3, 0, 0, 0, 3), _stats.Snapshot());
        var lines = Lines();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.Equal("transform", l.GetProperty("stage").GetString());
            Assert.Equal("not processed: the operation stopped (timed out after 00:00:05 (options.timeout))", l.GetProperty("reason").GetString());
            Assert.Equal(RejectReason.StoppedCode, l.GetProperty("code").GetString());
        });
    }

    [Fact]
    public void Unfinished_BatchThatStoppedTheOperation_IsNotWrittenForItsOwnCause()
    {
        var accounting = Accounting();
        _stats.AddRead(2);

        accounting.Unfinished(Some.Records(2, "email"), new RejectReason(UnfinishedCause.OwnBatch, StageName.Write, "writing to Db failed: disk I/O error"));

        Assert.All(Lines(), l => Assert.Equal("not written: writing to Db failed: disk I/O error", l.GetProperty("reason").GetString()));
        Assert.Equal(2, _stats.Rejected);
    }

    [Fact]
    public void Count_PassesACountLimit_StopsTheOperationForTheLimit()
    {
        var accounting = Accounting(new ChangeLimit(2, null));
        _stats.AddRead(10);

        accounting.Count(2);
        Assert.False(_stop.IsStopped);
        accounting.Count(1);

        Assert.True(accounting.LimitPassed);
        Assert.Equal(StopCause.RejectLimit, _stop.Cause);
        Assert.Equal("more than 2 records rejected (options.max_rejects)", _stop.Reason);
    }

    [Fact]
    public void Count_PercentLimitBeforeEnoughWasRead_WaitsForTheEnd()
    {
        var accounting = Accounting(ChangeLimit.TryParse("10%"));
        _stats.AddRead(10);

        accounting.Count(5);

        Assert.False(_stop.IsStopped);
        Assert.True(accounting.PassedAtEnd(_stats.Snapshot()));
        Assert.StartsWith("more than 10% records rejected (options.max_rejects; 5 of 10 read)", accounting.LimitMessage(_stats.Snapshot()), StringComparison.Ordinal);
    }

    [Fact]
    public void StopSending_RejectsInTheBatchPassTheLimit_TellsTheTargetWhy()
    {
        var accounting = Accounting(new ChangeLimit(3, null));
        _stats.AddRead(10);
        accounting.Count(2);

        Assert.Null(accounting.StopSending(1));
        Assert.Equal("more than 3 records rejected (options.max_rejects)", accounting.StopSending(2));
    }

    [Fact]
    public void Warnings_ManyRejects_NameTheMostFrequentCause()
    {
        var accounting = Accounting();
        accounting.Causes.Add("email is invalid", "invalid_email", 3);

        var warnings = accounting.Warnings(new OperationCounts(10, 0, 7, 0, 3));

        Assert.Equal("3 of 10 records read (30%) were rejected; most frequent: invalid_email: 3 (e.g. \"email is invalid\")", Assert.Single(warnings));
    }
}
