using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>Every name a pipeline uses is checked before the first write: validate, test and the start of run.</summary>
public sealed class NameCheckTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string SignupsPipeline(string where, string database = "out/warehouse.db")
    {
        _folder.Write("data/signups.csv", "email,first_name,opt_in\nana@example.com,Ana,yes\nbo@example.com,Bo,no\n");
        return _folder.Write("pipeline.yaml", $$$"""
            project: names
            connections:
              - { name: Signups, type: csv, path: data/signups.csv }
              - { name: Warehouse, type: sqlite, database: {{{database}}} }
            operations:
              - name: Load signups
                source: { connection: Signups, activity: query }
                transform:
                  where: {{{where}}}
                  map:
                    email: "{{ record.email | string.downcase }}"
                target: { connection: Warehouse, activity: create, table: contacts, create_table: true }
            """);
    }

    [Fact]
    public async Task Run_WhereReadsAColumnTheCsvDoesNotHave_Exits2BeforeAnyWrite()
    {
        var file = SignupsPipeline("record.optin == \"yes\"");

        var result = await Cli.RunAsync(["run", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(
            $"{file}:9:21: operation 'Load signups', where: unknown field 'record.optin' (did you mean 'record.opt_in'?); the header of signups.csv has: email, first_name, opt_in",
            result.Error,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.File("out")), "nothing may be written");
    }

    [Fact]
    public async Task Run_SourceWrittenUpstreamLacksTheField_FailsThatOperationAtItsStart()
    {
        _folder.Write("data/signups.csv", "email,opt_in\nana@example.com,yes\n");
        var file = _folder.Write("chain.yaml", """
            project: names
            connections:
              - { name: Signups, type: csv, path: data/signups.csv }
              - { name: Staged, type: csv, path: out/staged.csv }
              - { name: Final, type: csv, path: out/final.csv }
            operations:
              - name: Stage
                source: { connection: Signups, activity: query }
                transform: { map: { address: "{{ record.email }}" } }
                target: { connection: Staged, activity: create }
                on_success: Publish
              - name: Publish
                source: { connection: Staged, activity: query }
                transform: { map: { email: "{{ record.email }}" } }
                target: { connection: Final, activity: create }
            """);

        var result = await Cli.RunAsync(["run", file, "--output", "json"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown field 'record.email'", result.Out, StringComparison.Ordinal);
        Assert.Contains("the header of staged.csv has: address", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder.File("out/staged.csv")));
        Assert.False(File.Exists(_folder.File("out/final.csv")));
    }

    [Fact]
    public async Task Validate_TargetKeyTheMapDoesNotProduce_IsAnError()
    {
        var file = SignupsPipeline("record.opt_in == \"yes\"").Replace("pipeline.yaml", "keyed.yaml", StringComparison.Ordinal);
        File.WriteAllText(file, File.ReadAllText(_folder.File("pipeline.yaml")).Replace("create_table: true", "create_table: true, key: [emial]", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("operation 'Load signups': the target's key 'emial' is not a field of the records (did you mean 'email'?); the map of operation 'Load signups' has: email", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_IncrementalFieldTheCsvDoesNotHave_Exits2()
    {
        var file = SignupsPipeline("record.opt_in == \"yes\"");
        File.WriteAllText(file, File.ReadAllText(file).Replace("activity: query }", "activity: query, incremental: { field: signed_up } }", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["run", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("operation 'Load signups': the incremental field 'signed_up' is not a field of the records; the header of signups.csv has: email, first_name, opt_in", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public async Task Test_WhereReadsAColumnTheCsvDoesNotHave_ReportsTheFieldsAndFails()
    {
        var bad = await Cli.RunAsync(["test", SignupsPipeline("record.optin == \"yes\"")]);
        var good = await Cli.RunAsync(["test", SignupsPipeline("record.opt_in == \"yes\"")]);

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("FAIL Load signups (fields): ", bad.Out, StringComparison.Ordinal);
        Assert.Contains("unknown field 'record.optin' (did you mean 'record.opt_in'?)", bad.Out, StringComparison.Ordinal);
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("ok   Load signups (fields): the header of signups.csv has email, first_name, opt_in; the transforms read opt_in, email", good.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_SqliteTargetWhoseFolderIsAFile_FailsBeforeTheRun()
    {
        _folder.Write("out", "a file where the folder should be");

        var result = await Cli.RunAsync(["test", SignupsPipeline("record.opt_in == \"yes\"")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL Warehouse (sqlite): cannot create {_folder.File("out/warehouse.db")}: {_folder.File("out")} is a file, not a folder", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_SqliteQuery_ReportsItsColumnsWithoutRunningIt()
    {
        var database = _folder.File("source.db");
        SqliteFile.Execute(database, "CREATE TABLE people (id INTEGER, name TEXT); INSERT INTO people VALUES (1, 'Ana');");
        // Running this statement fails (integer overflow); preparing it does not.
        var file = _folder.Write("sql.yaml", """
            project: names
            connections:
              - { name: Db, type: sqlite, database: source.db }
              - { name: Out, type: csv, path: out.csv }
            operations:
              - name: Export
                source: { connection: Db, activity: query, sql: "SELECT id, name, abs(-9223372036854775807 - 1) AS big FROM people" }
                transform: { map: { who: "{{ record.nmae }}" } }
                target: { connection: Out, activity: create }
            """);

        var test = await Cli.RunAsync(["test", file]);
        var run = await Cli.RunAsync(["run", file]);

        Assert.Contains("unknown field 'record.nmae' (did you mean 'record.name'?); the columns of the sql query has: id, name, big", test.Out, StringComparison.Ordinal);
        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(_folder.File("out.csv")));
    }

    [Fact]
    public async Task Validate_QuickstartTypos_AreErrorsWithPositionsAndSuggestions()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        var quickstart = File.ReadAllText(_folder.File("pipelines/quickstart.yaml"));
        var file = _folder.Write("pipelines/typos.yaml", quickstart
            .Replace("{{ [newsletter_list] }}", "{{ [newletter_list] }}", StringComparison.Ordinal)
            .Replace("string.strip | string.downcase", "string.strip | string.dowcase", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("map.email_address: unknown function 'string.dowcase' (did you mean 'string.downcase'?)", result.Out, StringComparison.Ordinal);
        Assert.Contains("map.list_memberships: undefined variable 'newletter_list' (searched global, project and system variables) (did you mean 'newsletter_list'?)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ConstantContactFieldTypos_AreErrorsFromTheApiContract()
    {
        Cli.CopyFolder("pipelines", _folder.Path);
        var export = File.ReadAllText(_folder.File("pipelines/contact-export.yaml"));
        var file = _folder.Write("pipelines/typos.yaml", export
            .Replace("{{ record.contact_id }}", "{{ record.email_addres }}", StringComparison.Ordinal)
            .Replace("record.email_address.permission_to_send", "record.email_address.permision_to_send", StringComparison.Ordinal)
            .Replace("{{ record.first_name }}", "{{ record.taggings }}", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["validate", file]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("map.contact_id: unknown field 'record.email_addres' (did you mean 'record.email_address'?); a Constant Contact contact (include: custom_fields, list_memberships) has: contact_id, email_address,", result.Out, StringComparison.Ordinal);
        Assert.Contains("map.permission: unknown field 'record.email_address.permision_to_send' (did you mean 'record.email_address.permission_to_send'?); record.email_address (Constant Contact's EmailAddress) has: address, permission_to_send,", result.Out, StringComparison.Ordinal);
        Assert.Contains("map.first_name: unknown field 'record.taggings'", result.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
