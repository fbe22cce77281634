namespace EtlRunner.Execution.Stages;

/// <summary>
/// Carries an exception out of a call to a connector made while the operation is set up (creating its source or
/// target, preparing the target for the ledger) to <see cref="OperationRunner"/>, so it is reported as the connector's
/// failure and not as a bug in the engine.
/// </summary>
internal sealed class ConnectorCallException(Exception inner) : Exception(inner.Message, inner)
{
    public static T Call<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ConnectorCallException(ex);
        }
    }
}
