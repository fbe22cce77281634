using EtlRunner.Cli;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;

#if ETL_NATIVE
if (JitHandover.IsNeeded(args))
{
    return JitHandoverNative.Exec(args); // before anything touches the console: the JIT build takes the terminal as it is
}

#endif
var environment = CliEnvironment.FromProcess();
if (environment.IsTerminal)
{
    // Shared with the live progress table, which prints other lines above itself while it shows.
    environment = environment with { Error = new TerminalWriter(environment.Error) };
}

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
    environment.Error.WriteLine("Cancelling: finishing in-flight batches (press Ctrl+C again to quit at once)...");
    cancellation.Cancel();
};

var exitCode = await EtlApp.RunAsync(args, environment, cancellation.Token);
return cancelled ? ExitCodes.Cancelled : exitCode;
