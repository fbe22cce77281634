using EtlRunner.Model;
using EtlRunner.Sandbox;

namespace EtlRunner.Cli.Infrastructure;

/// <summary>
/// <c>--sandbox</c>: starts a Constant Contact sandbox in-process on a free loopback port and points every
/// <c>constantcontact</c> connection of the pipeline at it, with the sandbox's credentials.
/// </summary>
internal sealed class SandboxSwitch : IAsyncDisposable
{
    public const string Type = "constantcontact";

    /// <summary>The list every sandbox starts with, so bulk imports (which need list_ids) work at once.</summary>
    public const string NewsletterListId = "1a2b3c4d-0000-4000-8000-00000000c0de";

    private readonly string _seedFile;

    private SandboxSwitch(ConstantContactSandbox sandbox, string seedFile)
    {
        Sandbox = sandbox;
        _seedFile = seedFile;
    }

    public ConstantContactSandbox Sandbox { get; }

    public static async Task<SandboxSwitch> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var seed = Path.Combine(Path.GetTempPath(), $"etl-sandbox-seed-{Environment.ProcessId}.json");
        await File.WriteAllTextAsync(seed, DefaultSeed, cancellationToken);
        var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { SeedFile = seed, TimeProvider = time }, cancellationToken);
        return new SandboxSwitch(sandbox, seed);
    }

    /// <summary>What every sandbox starts with: the Newsletter list, a custom field and a dozen demo contacts (two unsubscribed).</summary>
    public static string DefaultSeed => $$"""
        {
          "lists": [
            {
              "list_id": "{{NewsletterListId}}",
              "name": "Newsletter",
              "description": "Created by etl --sandbox"
            }
          ],
          "custom_fields": [
            {
              "label": "Signup Source",
              "type": "string"
            }
          ],
          "contacts": [
            {
              "email_address": {
                "address": "olga@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Olga",
              "last_name": "Ladyzhenskaya",
              "company_name": "Steklov Institute",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-01-10T09:00:00Z"
            },
            {
              "email_address": {
                "address": "emmy@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Emmy",
              "last_name": "Noether",
              "company_name": "Göttingen",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-02-11T09:00:00Z"
            },
            {
              "email_address": {
                "address": "sofia@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Sofia",
              "last_name": "Kovalevskaya",
              "company_name": "Stockholm University",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-03-12T09:00:00Z"
            },
            {
              "email_address": {
                "address": "mary@demo.example.com",
                "permission_to_send": "unsubscribed"
              },
              "first_name": "Mary",
              "last_name": "Somerville",
              "company_name": "Royal Society",
              "list_memberships": [],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-04-13T09:00:00Z"
            },
            {
              "email_address": {
                "address": "marie@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Marie",
              "last_name": "Curie",
              "company_name": "Sorbonne",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-05-14T09:00:00Z"
            },
            {
              "email_address": {
                "address": "lise@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Lise",
              "last_name": "Meitner",
              "company_name": "KWI",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-06-15T09:00:00Z"
            },
            {
              "email_address": {
                "address": "rosalind@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Rosalind",
              "last_name": "Franklin",
              "company_name": "King's College",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-07-16T09:00:00Z"
            },
            {
              "email_address": {
                "address": "dorothy@demo.example.com",
                "permission_to_send": "unsubscribed"
              },
              "first_name": "Dorothy",
              "last_name": "Hodgkin",
              "company_name": "Oxford",
              "list_memberships": [],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-08-17T09:00:00Z"
            },
            {
              "email_address": {
                "address": "chien@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Chien-Shiung",
              "last_name": "Wu",
              "company_name": "Columbia",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-09-18T09:00:00Z"
            },
            {
              "email_address": {
                "address": "maryam@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Maryam",
              "last_name": "Mirzakhani",
              "company_name": "Stanford",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-01-19T09:00:00Z"
            },
            {
              "email_address": {
                "address": "jocelyn@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Jocelyn",
              "last_name": "Bell Burnell",
              "company_name": "Oxford",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-02-10T09:00:00Z"
            },
            {
              "email_address": {
                "address": "vera@demo.example.com",
                "permission_to_send": "implicit"
              },
              "first_name": "Vera",
              "last_name": "Rubin",
              "company_name": "Carnegie",
              "list_memberships": [
                "Newsletter"
              ],
              "custom_fields": [
                {
                  "name": "Signup_Source",
                  "value": "sandbox seed"
                }
              ],
              "created_at": "2026-03-11T09:00:00Z"
            }
          ]
        }
        """;

    /// <summary>The pipeline with every constantcontact connection's URL and credentials replaced by the sandbox's.</summary>
    public PipelineDefinition Apply(PipelineDefinition pipeline)
    {
        var connections = pipeline.Connections.Select(connection =>
        {
            if (connection.Type.Value != Type)
            {
                return connection;
            }

            var fields = new Dictionary<string, FieldValue>(connection.Fields, StringComparer.Ordinal);
            void Set(string name, string value) => fields[name] = new FieldValue(value, fields.TryGetValue(name, out var old) ? old.Location : connection.Location);
            Set("base_url", Sandbox.BaseUrl.ToString().TrimEnd('/'));
            Set("token_url", Sandbox.TokenUrl.ToString());
            Set("api_key", SandboxDefaults.ClientId);
            Set("client_secret", SandboxDefaults.ClientSecret);
            Set("access_token", Sandbox.AccessToken);
            Set("refresh_token", Sandbox.RefreshToken);
            return connection with { Fields = fields };
        }).ToList();
        return pipeline with { Connections = connections };
    }

    public static bool Uses(PipelineDefinition pipeline) => pipeline.Connections.Any(c => c.Type.Value == Type);

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        File.Delete(_seedFile);
    }
}
