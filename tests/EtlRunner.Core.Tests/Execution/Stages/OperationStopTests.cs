using EtlRunner.Execution;
using EtlRunner.Execution.Stages;
using EtlRunner.Expressions;
using Microsoft.Extensions.Logging.Abstractions;

namespace EtlRunner.Core.Tests.Execution.Stages;

public sealed class OperationStopTests : IDisposable
{
    private readonly OperationStop _stop = new("Load", NullLogger.Instance, new SecretMasker());

    public void Dispose() => _stop.Dispose();

    [Fact]
    public void Stop_FirstStop_SetsReasonCauseAndCancelsTheToken()
    {
        _stop.Stop(StopCause.TimedOut, "timed out after 00:00:05 (options.timeout)");

        Assert.True(_stop.IsStopped);
        Assert.Equal("timed out after 00:00:05 (options.timeout)", _stop.Reason);
        Assert.Equal(StopCause.TimedOut, _stop.Cause);
        Assert.False(_stop.Cancelled);
        Assert.True(_stop.Token.IsCancellationRequested);
    }

    [Fact]
    public void Stop_StoppedAgain_KeepsTheFirstReasonAndCause()
    {
        _stop.Stop(StopCause.ConnectorFailure, "writing to Db failed: disk I/O error");

        _stop.Stop(StopCause.Cancelled, "cancelled");

        Assert.Equal("writing to Db failed: disk I/O error", _stop.Reason);
        Assert.Equal(StopCause.ConnectorFailure, _stop.Cause);
        Assert.False(_stop.Cancelled);
    }

    [Fact]
    public void Stop_NotStopped_HasNoReasonAndTheTokenRuns()
    {
        Assert.False(_stop.IsStopped);
        Assert.Null(_stop.Reason);
        Assert.Null(_stop.Cause);
        Assert.False(_stop.Token.IsCancellationRequested);
    }

    [Fact]
    public void Caused_CancellationAfterTheStop_IsTheStops_OtherExceptionsAreNot()
    {
        var beforeStop = new OperationCanceledException();
        Assert.False(_stop.Caused(beforeStop));

        _stop.Stop(StopCause.Cancelled, "cancelled");

        Assert.True(_stop.Cancelled);
        Assert.True(_stop.Caused(new OperationCanceledException(_stop.Token)));
        Assert.False(_stop.Caused(new InvalidOperationException("boom")));
    }

    [Fact]
    public void ConnectorFailedAndEngineFailed_SameException_GiveDifferentCausesAndReasons()
    {
        using var other = new OperationStop("Load", NullLogger.Instance, new SecretMasker());
        var exception = new InvalidOperationException("boom");

        _stop.ConnectorFailed("reading In", exception);
        other.EngineFailed("reading In", exception);

        Assert.Equal((StopCause.ConnectorFailure, "reading In failed: boom"), (_stop.Cause, _stop.Reason));
        Assert.Equal(StopCause.EngineBug, other.Cause);
        Assert.StartsWith("unexpected error in the engine while reading In (InvalidOperationException: boom)", other.Reason, StringComparison.Ordinal);
    }
}
