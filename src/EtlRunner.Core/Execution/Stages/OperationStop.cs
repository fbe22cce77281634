using EtlRunner.Expressions;
using Microsoft.Extensions.Logging;

namespace EtlRunner.Execution.Stages;

/// <summary>
/// The one stop of an operation, shared by its stages: the first stop wins and keeps its reason and cause; every stop
/// cancels <see cref="Token"/>, which only the source and the target's calls observe (the stages drain their channels
/// whatever happens, see <see cref="OperationRunner"/>). Thread-safe.
/// </summary>
/// <remarks>
/// Exceptions are told apart by where they came from: one out of a call to the connector (creating its source or
/// target, reading, writing, counting, committing) is a failure the connector reported, whatever its type
/// (<see cref="ConnectorFailed"/>); one out of the engine's own code is a bug in the engine (<see cref="EngineFailed"/>).
/// </remarks>
internal sealed class OperationStop(string operation, ILogger logger, SecretMasker masker) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private Stopped? _first; // written once, by the first stop

    /// <summary>The reason of the first stop, or null while the operation runs on.</summary>
    public string? Reason => Volatile.Read(ref _first)?.Reason;

    /// <summary>What stopped the operation first, or null while it runs on.</summary>
    public StopCause? Cause => Volatile.Read(ref _first)?.Cause;

    public bool IsStopped => Volatile.Read(ref _first) is not null;

    /// <summary>True when the first stop was the run being cancelled (the operation ends Cancelled, not Failed).</summary>
    public bool Cancelled => Cause == StopCause.Cancelled;

    /// <summary>Cancelled at the first stop: the source's and the target's calls take it.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>True when <paramref name="ex"/> is this stop cancelling a call, not a failure of its own.</summary>
    public bool Caused(Exception ex) => ex is OperationCanceledException && _cancel.IsCancellationRequested;

    /// <summary>
    /// Stops the operation; only the first call sets the reason. An <paramref name="exception"/> behind the stop is logged
    /// with its stack trace (the log masks it like every line), even when an earlier stop won.
    /// </summary>
    public void Stop(StopCause cause, string reason, Exception? exception = null)
    {
        if (Interlocked.CompareExchange(ref _first, new Stopped(reason, cause), null) is null)
        {
            logger.Log(cause == StopCause.EngineBug ? LogLevel.Error : LogLevel.Warning, exception, "Operation {Operation} stopping: {Reason}", operation, masker.Apply(reason));
        }
        else if (exception is not null)
        {
            logger.LogWarning(exception, "Operation {Operation}, already stopping: {Reason}", operation, masker.Apply(reason));
        }

        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The operation already ended.
        }
    }

    /// <summary>Stops for an exception out of a call to the connector: <c>reading In failed: the file is locked</c>.</summary>
    public void ConnectorFailed(string what, Exception exception) =>
        Stop(StopCause.ConnectorFailure, $"{what} failed: {exception.Message}", exception);

    /// <summary>Stops for an exception out of the engine's own code, which the stages do not expect.</summary>
    public void EngineFailed(string doing, Exception exception) =>
        Stop(
            StopCause.EngineBug,
            $"unexpected error in the engine while {doing} ({exception.GetType().Name}: {exception.Message}); this is a bug in EtlRunner: please report it with the log file (--log-file), which holds its stack trace",
            exception);

    public void Dispose() => _cancel.Dispose();

    private sealed record Stopped(string Reason, StopCause Cause);
}
