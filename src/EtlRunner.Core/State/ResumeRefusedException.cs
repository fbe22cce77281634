namespace EtlRunner.State;

/// <summary>An interrupted run cannot be resumed as asked (another <c>--operation</c>, a changed chain); the message says to use <c>--fresh</c>.</summary>
public sealed class ResumeRefusedException(string message) : Exception(message);
