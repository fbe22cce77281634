using EtlRunner.Execution;

namespace EtlRunner.Cli.Output;

/// <summary>A progress display for <c>etl run</c>: it watches the run and is disposed when the run ends. It never writes to stdout.</summary>
internal interface IProgressDisplay : IRunObserver, IAsyncDisposable
{
}
