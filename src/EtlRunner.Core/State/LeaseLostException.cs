namespace EtlRunner.State;

/// <summary>
/// A fenced write was refused: the run's lease was taken over by another agent of the group (a higher fencing token),
/// or has too little time left to send another batch. The run stops at once without further writes; the agent that
/// holds the lease now resumes it through the write ledger.
/// </summary>
public sealed class LeaseLostException(string message) : Exception(message);
