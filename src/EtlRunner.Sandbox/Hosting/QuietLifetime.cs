using Microsoft.Extensions.Hosting;

namespace EtlRunner.Sandbox.Hosting;

/// <summary>
/// A host lifetime that neither logs nor hooks Ctrl+C / SIGTERM: the process hosting the sandbox (CLI, tests)
/// owns those signals and stops the sandbox by disposing it.
/// </summary>
internal sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
