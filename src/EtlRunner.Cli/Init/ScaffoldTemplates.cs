namespace EtlRunner.Cli.Init;

/// <summary>The texts <c>etl init</c> writes: a pipeline, the variables to fill, what git ignores, and a README.</summary>
internal static class ScaffoldTemplates
{
    /// <summary>The schema the scaffold ships, relative to its pipelines; their first line points editors at it.</summary>
    public const string SchemaPath = "../schema/pipeline.schema.json";

    public const string ContactsPipeline = $$$"""
        # yaml-language-server: $schema={{{SchemaPath}}}
        # Contacts from Constant Contact into a SQLite file (out/contacts.db), upserted by contact id.
        #   etl run pipelines/contacts.yaml --sandbox           offline, against a local copy of the API
        #   etl run pipelines/contacts.yaml --env-file .env     against your account (fill .env from .env.example)
        # Relative paths resolve against this file's folder.
        project: contacts
        description: Contacts (with their list memberships) from Constant Contact into SQLite.

        variables:
          updated_since:
            value: 2000-01-01T00:00:00Z
            description: Export the contacts updated at or after this time (ISO-8601)
          database:
            value: ../out/contacts.db
            description: The SQLite file that receives the contacts
          cc_api_key:
            secret: true
            description: The API key (OAuth client id) of your Constant Contact application
          cc_access_token:
            secret: true
            description: A Constant Contact access token

        connections:
          - name: Constant Contact
            type: constantcontact
            api_key: "[cc_api_key]"
            access_token: "[cc_access_token]"
            refresh_token: "[cc_refresh_token{}]"
            client_secret: "[cc_client_secret{}]"
          - name: Warehouse
            type: sqlite
            database: "[database]"

        operations:
          - name: Export contacts
            description: Every contact updated since updated_since, one row each; a second run updates the rows in place.
            source:
              connection: Constant Contact
              activity: query
              updated_after: "[updated_since]"
              include: [list_memberships]
              limit: 500
            transform:
              map:
                contact_id: "{{ record.contact_id }}"
                email: "{{ record.email_address.address }}"
                permission: "{{ record.email_address.permission_to_send }}"
                first_name: "{{ record.first_name }}"
                last_name: "{{ record.last_name }}"
                company: "{{ record.company_name }}"
                lists: "{{ record.list_memberships | array.size }}"
                updated_at: "{{ record.updated_at }}"
            target: { connection: Warehouse, activity: create, table: contacts, create_table: true, key: [contact_id], on_conflict: upsert }

        tests:                        # run by `etl validate`, with no connection opened: add one per rule you rely on
          - name: a contact becomes one flat row
            operation: Export contacts
            given:                    # as Constant Contact's contact resource
              - contact_id: 5b1f0c2e-0000-4000-8000-000000000001
                email_address: { address: ana@example.com, permission_to_send: implicit }
                first_name: Ana
                last_name: Lima
                company_name: Acme
                list_memberships: [1a2b3c4d-0000-4000-8000-00000000c0de]
                updated_at: "2026-12-01T10:00:00Z"
            expect:                   # only the fields listed are compared
              - { contact_id: 5b1f0c2e-0000-4000-8000-000000000001, email: ana@example.com, permission: implicit, company: Acme, lists: 1 }

        """;

    public const string EnvExample = """
        # Copy this file to .env and fill it in. .env is in .gitignore: never commit it.
        #   etl run pipelines/contacts.yaml --env-file .env
        # In CI or cron, set the same values as environment variables instead:
        # ETL_VAR_CC_API_KEY, ETL_VAR_CC_ACCESS_TOKEN, ETL_VAR_CC_REFRESH_TOKEN, ETL_VAR_CC_CLIENT_SECRET.

        # The API key (OAuth client id) of your Constant Contact application.
        cc_api_key=
        # An access token for your account (it lives 24 hours; with a refresh token below, EtlRunner renews it itself).
        cc_access_token=
        # Optional: a refresh token. Rotated refresh tokens are kept in .etl/ (readable by you only), never printed.
        cc_refresh_token=
        # Optional, with the refresh token: your application's client secret.
        cc_client_secret=

        """;

    public const string GitIgnore = """
        # Secrets: fill .env from .env.example, keep it here.
        .env
        # Run state beside each pipeline: rejects, refreshed tokens, history.
        .etl/
        # What the pipelines write.
        out/

        """;

    public const string Readme = """
        # Data pipelines

        Pipelines for [EtlRunner](https://github.com/etlrunner/etlrunner) (`etl`), kept in git: each file under
        `pipelines/` declares connections and operations in YAML. Review them in pull requests, validate them in CI,
        run them with one command. The `tests:` at the end of a pipeline check its transforms: `etl validate pipelines`
        runs them without any connection.

        | path | what it is |
        |---|---|
        | `pipelines/contacts.yaml` | Constant Contact contacts into `out/contacts.db` (SQLite), upserted by contact id |
        | `schema/pipeline.schema.json` | the pipeline schema of the `etl` that wrote this folder, for editors (regenerate it with `etl schema > schema/pipeline.schema.json` after upgrading `etl`) |
        | `.env.example` | the variables to fill for a real account; copy it to `.env` |
        | `.gitignore` | keeps `.env`, `.etl/` (run state) and `out/` out of git |

        ## Try it offline

        ```sh
        etl run pipelines/contacts.yaml --sandbox
        ```

        `--sandbox` starts a local copy of Constant Contact's V3 API on 127.0.0.1 with a dozen demo contacts: no
        account, no network. The contacts land in `out/contacts.db`; the summary table counts every record.

        ## Run it against your account

        1. `cp .env.example .env` and fill in `cc_api_key` and `cc_access_token` (and, to let `etl` renew the access
           token itself, `cc_refresh_token` and `cc_client_secret`).
        2. Check the connection, look at the plan, then run:

        ```sh
        etl test pipelines/contacts.yaml --env-file .env
        etl plan pipelines/contacts.yaml --env-file .env
        etl run  pipelines/contacts.yaml --env-file .env
        ```

        Only export recent changes with `--var updated_since=2026-01-01T00:00:00Z`. In CI or cron, give the secrets as
        environment variables (`ETL_VAR_CC_API_KEY`, `ETL_VAR_CC_ACCESS_TOKEN`, ...) instead of a file. Exit codes: 0 ok,
        1 an operation failed, 2 invalid pipeline, 130 cancelled.

        ## Validate in CI

        ```sh
        etl validate pipelines
        ```

        It needs no credentials, prints every problem as `file:line:column: message` and exits 2 on any, so a typo never
        reaches a scheduled run. EtlRunner is not published on a package feed: CI builds the tool from its source and
        installs it from that local build. A GitHub Actions job, for example:

        ```yaml
        on: [push, pull_request]
        jobs:
          validate:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/checkout@v4              # the EtlRunner source, to build the tool from
                with: { repository: etlrunner/etlrunner, path: etlrunner }
              - uses: actions/setup-dotnet@v4
                with: { dotnet-version: 10.0.x }
              - run: dotnet pack etlrunner/src/EtlRunner.Cli -o artifacts
              - run: dotnet tool install --global --add-source artifacts EtlRunner
              - run: etl validate pipelines
        ```

        ## Editing

        The first line of each pipeline points editors (VS Code with the YAML extension, JetBrains IDEs) at
        `schema/pipeline.schema.json`, for completion and errors while typing, offline. `etl validate` stays the full
        check.

        """;
}
