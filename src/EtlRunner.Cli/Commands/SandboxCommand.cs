using System.ComponentModel;
using EtlRunner.Cli.Infrastructure;
using EtlRunner.Diagnostics;
using EtlRunner.Sandbox;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EtlRunner.Cli.Commands;

/// <summary><c>etl sandbox constantcontact</c>: a local Constant Contact V3 API on 127.0.0.1 until Ctrl+C.</summary>
internal sealed class SandboxCommand(CliEnvironment environment) : AsyncCommand<SandboxCommand.Settings>
{
    public sealed class Settings : GlobalSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("The loopback port to listen on (default: a free one).")]
        public int Port { get; set; }

        [CommandOption("--data <FILE>")]
        [Description("Keep the data in this SQLite file, so it survives restarts (default: in memory). A new or empty file is seeded like the in-memory sandbox.")]
        public string? Data { get; set; }

        [CommandOption("--seed <FILE>")]
        [Description("JSON with contacts, lists and custom_fields to load into an empty sandbox, instead of the demo seed.")]
        public string? Seed { get; set; }

        [CommandOption("--rate-limit <ON|OFF>")]
        [Description("Answer 429 past 4 requests a second and 10,000 a day, as the real API does (default on).")]
        [DefaultValue("on")]
        public string RateLimit { get; set; } = "on";

        [CommandOption("--faults <SPEC>")]
        [Description("Inject faults, e.g. 500=0.05,503=0.02,429=0.02,timeout=0.01,cut=0.01,malformed=0.01,seed=42,after=10,delay=40s.")]
        public string? Faults { get; set; }

        [CommandOption("--token <TOKEN>")]
        [Description("The access token to accept (default: the documented sandbox token).")]
        public string? Token { get; set; }

        public override ValidationResult Validate()
        {
            if (Port is < 0 or > 65535)
            {
                return ValidationResult.Error($"--port must be a port number from 1 to 65535 (or 0 for a free one), not {Port}");
            }

            if (RateLimit is not ("on" or "off"))
            {
                return ValidationResult.Error("--rate-limit must be on or off");
            }

            if (Faults is not null)
            {
                try
                {
                    FaultSpec.Parse(Faults);
                }
                catch (FormatException ex)
                {
                    return ValidationResult.Error("--faults: " + ex.Message);
                }
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        await using var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions
        {
            Port = settings.Port,
            DataFile = settings.Data,
            SeedFile = settings.Seed,
            Seed = settings.Seed is null ? SandboxSwitch.DefaultSeed : null, // a new or empty data file starts like the in-memory sandbox
            RateLimit = settings.RateLimit == "on",
            Faults = settings.Faults,
            AccessToken = settings.Token ?? SandboxDefaults.AccessToken,
            TimeProvider = environment.TimeProvider,
        }, cancellationToken);
        var console = Consoles.Create(environment);
        console.MarkupLine($"Constant Contact sandbox listening at [bold]{sandbox.BaseUrl}[/]");
        console.WriteLine($"  access token:  {sandbox.AccessToken}   (send it as: Authorization: Bearer <token>)");
        console.WriteLine($"  token endpoint: {sandbox.TokenUrl}   (client id {SandboxDefaults.ClientId}, secret {SandboxDefaults.ClientSecret}, refresh token {sandbox.RefreshToken})");
        console.WriteLine($"  request stats:  {new Uri(sandbox.BaseUrl, "/_sandbox/stats")}");
        console.WriteLine($"  rate limit {settings.RateLimit}; faults {settings.Faults ?? "none"}; data {(settings.Data ?? "in memory")}. Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop and report.
        }

        environment.Out.WriteLine($"Served {sandbox.Stats.Total} request(s):");
        environment.Out.WriteLine(sandbox.Stats.Format());

        return ExitCodes.Ok;
    }
}
