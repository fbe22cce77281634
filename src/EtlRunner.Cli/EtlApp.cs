using System.Reflection;
using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.State;
using Spectre.Console.Cli;

namespace EtlRunner.Cli;

/// <summary>The <c>etl</c> command line: the commands, their help and examples, and the exit-code table.</summary>
public static class EtlApp
{
    /// <summary>The command and branch names, which an error may quote as typed.</summary>
    private static readonly string[] Commands = ["run", "init", "validate", "plan", "test", "schema", "connections", "replay", "history", "state", "reset", "sandbox", "constantcontact", "agent"];

    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(CliEnvironment), environment);
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("etl");
            config.SetApplicationVersion(Version);
            config.Settings.Console = Consoles.Create(environment.Out, environment.NoColor);
            config.Settings.CancellationExitCode = ExitCodes.Cancelled;
            config.Settings.StrictParsing = true;
            config.SetExceptionHandler((ex, _) =>
            {
                if (ex is StateDatabaseException state)
                {
                    environment.Error.WriteLine($"error: {state.Path}: {state.Message}");
                    return ExitCodes.InvalidPipeline;
                }

                var message = CommandLineSecrets.Of(args, Commands, environment).Apply(ex.Message);
                if (args.SkipWhile(a => a is not ("-o" or "--output")).Skip(1).FirstOrDefault() is "json" || args.Contains("--output=json"))
                {
                    JsonOutput.WriteProblems(environment.Out, [new Diagnostic(new SourceLocation("command line", 0, 0), message)], SecretMasker.None);
                }
                else
                {
                    environment.Error.WriteLine("error: " + message);
                }

                return ex is CommandParseException or CommandRuntimeException ? ExitCodes.InvalidPipeline : ExitCodes.OperationFailed;
            });

            config.AddCommand<RunCommand>("run")
                .WithDescription("Validate a pipeline, then run its operations and their chains. Exit codes: 0 ok, 1 an operation failed, 2 invalid pipeline, 130 cancelled.")
                .WithExample("run", "pipelines/quickstart.yaml");
            config.AddCommand<InitCommand>("init")
                .WithDescription("Scaffold a pipeline repository to commit: a Constant Contact pipeline that runs with --sandbox at once, the schema, .env.example, .gitignore, a README. Never overwrites without --force.")
                .WithExample("init", "my-pipelines");
            config.AddCommand<ValidateCommand>("validate")
                .WithDescription("Check pipeline files (or folders of them) and report every problem as file:line:column: message. Exit 2 on any problem.")
                .WithExample("validate", "pipelines", "examples");
            config.AddCommand<PlanCommand>("plan")
                .WithDescription("Show what a run would do: chains, resolved sources and targets, variables and where their values come from (secrets masked).")
                .WithExample("plan", "pipelines/quickstart.yaml", "--environment", "staging");
            config.AddCommand<TestCommand>("test")
                .WithDescription("Test each connection the way Jitterbit's Test button does, one line per connection. Exit 1 when any fails.")
                .WithExample("test", "pipelines/quickstart.yaml", "--connection", "Warehouse");
            config.AddCommand<SchemaCommand>("schema")
                .WithDescription("Print the JSON schema of the pipeline file (draft-07), for editors: completion, descriptions and errors while typing.")
                .WithExample("schema");
            config.AddCommand<ConnectionsCommand>("connections")
                .WithDescription("List the connections with their type and the operations that use each (as source or target, with the activity).")
                .WithExample("connections", "pipelines/quickstart.yaml");
            config.AddCommand<ReplayCommand>("replay")
                .WithDescription("Send the rejected records of one operation (a rejects file) through its transform and target again, after fixing the cause.")
                .WithExample("replay", "pipelines/.etl/rejects/20261127T080000Z-1a2b3c/Load_signups.jsonl");
            config.AddCommand<HistoryCommand>("history")
                .WithDescription("Show past runs and operations (status, counts, duration, error), newest first, from the state database.")
                .WithExample("history", "pipelines/quickstart.yaml", "--limit", "5");
            config.AddCommand<Agent.AgentCommand>("agent")
                .WithDescription("Run the schedules of the pipelines under PATH (an embedded single-machine agent, on Quartz.NET) until Ctrl+C or SIGTERM; the runs in progress then finish. One agent per state folder.")
                .WithExample("agent", "pipelines", "--name", "ops-1");
            config.AddBranch("state", state =>
            {
                state.SetDescription("Inspect and change what is kept between runs.");
                state.AddCommand<StateResetCommand>("reset")
                    .WithDescription("Clear an operation's incremental watermark, so its next run starts from its 'start' again; with --all, delete the whole state database (history, watermarks, ledger).")
                    .WithExample("state", "reset", "pipelines/contact-export.yaml", "--operation", "Export contacts");
            });
            config.AddBranch("sandbox", sandbox =>
            {
                sandbox.SetDescription("Local stand-ins for the APIs EtlRunner talks to.");
                sandbox.AddCommand<SandboxCommand>("constantcontact")
                    .WithDescription("Serve a faithful local Constant Contact V3 API on 127.0.0.1 (contacts, lists, custom fields, bulk activities, OAuth) until Ctrl+C.")
                    .WithExample("sandbox", "constantcontact", "--port", "8089", "--faults", "500=0.05,seed=7");
            });
        });
        return await app.RunAsync(args, cancellationToken);
    }

    /// <summary>The version and commit, e.g. <c>0.1.0+3f2a9c1</c>.</summary>
    public static string Version =>
        typeof(EtlApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
