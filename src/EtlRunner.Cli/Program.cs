using EtlRunner.Cli;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;

using var cancellation = new CancellationTokenSource();
var cancelled = false;
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop reading, finish or abandon in-flight batches, report, exit 130. Second: exit now.
    if (cancelled)
    {
        return;
    }

    e.Cancel = true;
    cancelled = true;
    Console.Error.WriteLine("Cancelling: finishing in-flight batches (press Ctrl+C again to quit at once)...");
    cancellation.Cancel();
};

var exitCode = await EtlApp.RunAsync(args, CliEnvironment.FromProcess(), cancellation.Token);
return cancelled ? ExitCodes.Cancelled : exitCode;
