using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using EtlRunner.Cli.Commands;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Cli.Output;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.State;
using Spectre.Console.Cli;
#if ETL_NATIVE
using AgentCommand = EtlRunner.Cli.Infrastructure.HandedOverCommand;
using SandboxCommand = EtlRunner.Cli.Infrastructure.HandedOverCommand;
using SandboxResetCommand = EtlRunner.Cli.Infrastructure.HandedOverCommand;
using StatusCommand = EtlRunner.Cli.Infrastructure.HandedOverCommand;
#else
using AgentCommand = EtlRunner.Cli.Agent.AgentCommand;
using StatusCommand = EtlRunner.Cli.Agent.StatusCommand;
#endif

namespace EtlRunner.Cli;

/// <summary>The <c>etl</c> command line: the commands, their help and examples; the line is checked before it is parsed, and errors end at the <see cref="ErrorBoundary"/>.</summary>
public static class EtlApp
{
    /// <summary>What etl is, the first line of <c>etl --help</c>.</summary>
    public const string Tagline = "etl runs declarative data pipelines kept in YAML (CSV files, SQLite, Constant Contact), checked before anything is written.";

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Spectre.Console.Cli builds its model by reflection over the commands and their settings; the etl assembly is kept whole in the ahead-of-time compiled tool (TrimmerRootAssembly), and the AOT smoke run in .ci/run runs every command through it.")]
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        if (args is ["-v" or "--version"])
        {
            // What scripts and CI call to check the tool: answered without configuring the commands.
            environment.Out.WriteLine(Version);
            return ExitCodes.Ok;
        }

        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(CliEnvironment), environment);
        var app = new CommandApp(registrar);
        var check = new CommandLineCheck();
        ErrorBoundary? boundary = null;
        app.Configure(config =>
        {
            config.SetApplicationName("etl");
            config.SetApplicationVersion(Version);
            config.Settings.Console = Consoles.Create(environment);
            config.Settings.CancellationExitCode = ExitCodes.Cancelled;
            config.Settings.StrictParsing = true;
            config.SetExceptionHandler((ex, _) => boundary!.Handle(ex));

            // Every command is registered with the command-line check, so a typo anywhere gets its did-you-mean; Spectre
            // builds its model (reflection over every settings class, a type converter per option) of the command the
            // line names only, or of all of them for the help and any line that names none. What Spectre prints for a
            // command (its help, its parse errors) depends on that command alone.
            var named = args is [var first, ..] && !first.StartsWith('-') ? first : null;
            bool Wanted(string name) => named is null || named == name;

            void Add<TCommand>(string name, string description, params string[] example)
                where TCommand : class, ICommand
            {
                check.AddCommand(name, typeof(TCommand));
                if (Wanted(name))
                {
                    config.AddCommand<TCommand>(name).WithDescription(description).WithExample(example);
                }
            }

            void AddIn<TCommand>(IConfigurator<CommandSettings>? branch, string branchName, string name, string description, params string[] example)
                where TCommand : class, ICommandLimiter<CommandSettings>
            {
                check.AddCommand(branchName + " " + name, typeof(TCommand));
                branch?.AddCommand<TCommand>(name).WithDescription(description).WithExample(example);
            }

            // A branch the line does not name is known to the check only (its commands get a null configurator).
            void AddBranch(string name, string description, Action<IConfigurator<CommandSettings>?> commands)
            {
                check.AddBranch(name);
                if (!Wanted(name))
                {
                    commands(null);
                    return;
                }

                config.AddBranch(name, branch =>
                {
                    branch.SetDescription(description);
                    commands(branch);
                });
            }

            Add<RunCommand>("run",
                "Validate a pipeline, then run its operations and their chains. Exit codes: 0 ok, 1 an operation failed, 2 invalid pipeline, 130 cancelled.",
                "run", "pipelines/quickstart.yaml", "--sandbox");
            Add<InitCommand>("init",
                "Scaffold a pipeline repository to commit: a Constant Contact pipeline that runs with --sandbox at once, the schema, .env.example, .gitignore, a README. Never overwrites without --force.",
                "init", "my-pipelines");
            Add<ValidateCommand>("validate",
                "Check pipeline files (or folders of them) and report every problem as file:line:column: message. Exit 2 on any problem.",
                "validate", "pipelines", "examples");
            Add<PlanCommand>("plan",
                "Show what a run would do: chains, resolved sources and targets, variables and where their values come from (secrets masked).",
                "plan", "pipelines/quickstart.yaml", "--environment", "staging");
            Add<TestCommand>("test",
                "Test each connection the way Jitterbit's Test button does, one line per connection. Exit 1 when any fails.",
                "test", "pipelines/quickstart.yaml", "--connection", "Warehouse");
            Add<SchemaCommand>("schema",
                "Print the JSON schema of the pipeline file (draft-07), for editors: completion, descriptions and errors while typing.",
                "schema");
            Add<ConnectionsCommand>("connections",
                "List the connections with their type and the operations that use each (as source or target, with the activity).",
                "connections", "pipelines/quickstart.yaml");
            Add<ReplayCommand>("replay",
                "Send the rejected records of one operation (a rejects file) through its transform and target again, after fixing the cause.",
                "replay", "pipelines/.etl/rejects/20261127T080000Z-1a2b3c/Load_signups.jsonl");
            Add<HistoryCommand>("history",
                "Show past runs and operations (status, counts, duration, error), newest first, from the state database.",
                "history", "pipelines/quickstart.yaml", "--limit", "5");
            Add<AgentCommand>("agent",
                "Run the schedules of the pipelines under PATH (an embedded single-machine agent, on Quartz.NET) until Ctrl+C or SIGTERM; the runs in progress then finish. One agent per state folder.",
                "agent", "pipelines", "--name", "ops-1");
            Add<StatusCommand>("status",
                "Show what the agent of a state folder is doing: the agent and its last check-in, the schedules with their next and previous fire times, the operations running with their counts, the last runs.",
                "status", "pipelines", "--output", "json");
            AddBranch("state", "Inspect and change what is kept between runs.", state =>
            {
                AddIn<StateResetCommand>(state, "state", "reset",
                    "Clear an operation's incremental watermark, so its next run starts from its 'start' again; with --all, delete the whole state database (history, watermarks, ledger).",
                    "state", "reset", "pipelines/contact-export.yaml", "--operation", "Export contacts");
            });
            AddBranch("sandbox", "Local stand-ins for the APIs EtlRunner talks to.", sandbox =>
            {
                AddIn<SandboxCommand>(sandbox, "sandbox", "constantcontact",
                    "Serve a faithful local Constant Contact V3 API on 127.0.0.1 (contacts, lists, custom fields, bulk activities, OAuth) until Ctrl+C.",
                    "sandbox", "constantcontact", "--port", "8089", "--faults", "500=0.05,seed=7");
                AddIn<SandboxResetCommand>(sandbox, "sandbox", "reset",
                    "Delete the data that --sandbox runs of a pipeline keep (in .etl/sandbox), so the next one starts from the seed, with new contact ids.",
                    "sandbox", "reset", "pipelines/quickstart.yaml");
            });
        });
        if (args is [] or ["-h" or "--help"])
        {
            environment.Out.WriteLine(Tagline);
            environment.Out.WriteLine();
        }

        boundary = new ErrorBoundary(args, environment, () => CommandLineSecrets.Of(args, check, environment));
        return check.Problem(args) is { } problem
            ? boundary.Usage(problem)
            : await app.RunAsync(check.Normalize(args), cancellationToken);
    }

    /// <summary>The version and commit, e.g. <c>0.1.0+3f2a9c1</c>.</summary>
    public static string Version =>
        typeof(EtlApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
