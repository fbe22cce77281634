using EtlRunner.Connectors.ConstantContact;
using EtlRunner.Connectors.Csv;
using EtlRunner.Connectors.Sqlite;
using EtlRunner.Connectors.Tests.Support;
using EtlRunner.Sandbox;

namespace EtlRunner.Connectors.Tests.Contract;

/// <summary>
/// The <see cref="ISink"/> contract, once for every connector's targets: every record given to WriteAsync is
/// accounted for exactly once, as written, skipped or rejected, including a batch with a record the target refuses.
/// </summary>
public sealed class SinkContractTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Targets() =>
    [
        "sqlite insert", "sqlite upsert", "csv write", "csv append",
        "constantcontact create", "constantcontact update", "constantcontact delete",
    ];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task WriteAsync_EveryRecord_IsAccountedForExactlyOnce(string target)
    {
        // Given: two batches, the second with one record the target must refuse
        await using var sandbox = await ConstantContactSandbox.StartAsync(new SandboxOptions { RateLimit = false, Seed = Seed });
        var (sink, batches, refused) = Arrange(target, sandbox);

        // When
        var results = await Records.WriteAllAsync(sink, batches);

        // Then
        for (var i = 0; i < batches.Length; i++)
        {
            var result = results[i];
            Assert.Equal(batches[i].Count, result.Written + result.Skipped + result.Rejected.Count);
            Assert.All(result.Rejected, r => Assert.Contains(r.Record, batches[i]));
            Assert.Equal(result.Rejected.Count, result.Rejected.Select(r => r.Record).Distinct().Count());
            Assert.All(result.Rejected, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        }

        Assert.Empty(results[0].Rejected);
        Assert.Same(refused, Assert.Single(results[1].Rejected).Record);
    }

    /// <summary>Contacts a@, b@ and c@contract.example.com, for the update and delete targets.</summary>
    private const string Seed = """
        {"contacts": [
          {"email_address": {"address": "a@contract.example.com", "permission_to_send": "implicit"}, "first_name": "A"},
          {"email_address": {"address": "b@contract.example.com", "permission_to_send": "implicit"}, "first_name": "B"},
          {"email_address": {"address": "c@contract.example.com", "permission_to_send": "implicit"}, "first_name": "C"}
        ]}
        """;

    private (ISink Sink, IReadOnlyList<Record>[] Batches, Record Refused) Arrange(string target, ConstantContactSandbox sandbox)
    {
        var database = _folder.File("target.db");
        var csv = _folder.File("target.csv");
        switch (target)
        {
            case "sqlite insert":
            case "sqlite upsert":
            {
                SqliteFile.Execute(database, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO t VALUES (1, 'old');");
                var activity = target == "sqlite insert"
                    ? new Dictionary<string, object?> { ["table"] = "t" }
                    : new Dictionary<string, object?> { ["table"] = "t", ["key"] = new[] { "id" }, ["on_conflict"] = "upsert" };
                var refused = Row(4, null);
                var first = target == "sqlite insert" ? Row(2, "b") : Row(1, "a");
                return (Sink(new SqliteConnector(), new() { ["database"] = database }, activity),
                    [[first, Row(3, "c")], [Row(5, "e"), refused, Row(6, "f")]], refused);
            }

            case "csv write":
            case "csv append":
            {
                var append = target == "csv append";
                if (append)
                {
                    _folder.Write("target.csv", "id,name\n0,zero\n");
                }

                var refused = Records.Of(("id", 9L), ("name", "x"), ("extra", "not a column"));
                return (Sink(new CsvConnector(), new() { ["path"] = csv, ["delimiter"] = ",", ["header"] = true, ["encoding"] = "utf-8" }, new() { ["mode"] = append ? "append" : "overwrite" }),
                    [[Row(1, "a"), Row(2, "b")], [Row(3, "c"), refused]], refused);
            }

            case "constantcontact create":
            {
                var refused = Contact("not-an-email", "Nobody");
                return (ConstantContact(sandbox, ActivityKind.Create, new() { ["on_conflict"] = "skip" }),
                    [[Contact("new1@contract.example.com", "N1"), Contact("a@contract.example.com", "A")], [Contact("new2@contract.example.com", "N2"), refused]], refused);
            }

            case "constantcontact update":
            {
                var refused = Contact("unknown@contract.example.com", "U");
                return (ConstantContact(sandbox, ActivityKind.Update, []),
                    [[Contact("a@contract.example.com", "A2"), Contact("b@contract.example.com", "B")], [refused, Contact("c@contract.example.com", "C2")]], refused);
            }

            case "constantcontact delete":
            {
                var refused = Records.Of(("first_name", "no identifier"));
                return (ConstantContact(sandbox, ActivityKind.Delete, []),
                    [[Contact("a@contract.example.com", "A")], [Contact("b@contract.example.com", "B"), refused, Contact("c@contract.example.com", "C")]], refused);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "no such target");
        }
    }

    private static Record Row(long id, string? name) => Records.Of(("id", id), ("name", name));

    private static Record Contact(string email, string firstName) => Records.Of(("email_address", email), ("first_name", firstName));

    private static ISink Sink(IConnector connector, Dictionary<string, object?> connection, Dictionary<string, object?> activity) =>
        connector.CreateSink(Contexts.Activity(ActivityKind.Create, connection, activity));

    private static ISink ConstantContact(ConstantContactSandbox sandbox, ActivityKind kind, Dictionary<string, object?> activity) =>
        new ConstantContactConnector().CreateSink(Contexts.Activity(kind, new()
        {
            ["api_key"] = SandboxDefaults.ClientId,
            ["access_token"] = SandboxDefaults.AccessToken,
            ["base_url"] = sandbox.BaseUrl.ToString(),
            ["token_url"] = sandbox.TokenUrl.ToString(),
            ["requests_per_second"] = 100.0,
        }, activity));
}
