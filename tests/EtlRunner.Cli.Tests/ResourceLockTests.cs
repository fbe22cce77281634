using System.Diagnostics;
using System.Globalization;
using System.Text;
using EtlRunner.State;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Tests;

/// <summary>
/// Two runs never write one resource at once, whatever path, symlink or state folder they reach it by: a real
/// <c>etl</c> process loads a CSV into a SQLite database while other runs of the same pipeline try to start.
/// </summary>
public sealed class ResourceLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Run_WhileAnotherRunWritesTheDatabase_IsRefusedThroughASymlinkAndWithAnotherStateDir()
    {
        // Given: a long load (small batches) running in its own process; absolute paths, so a symlink elsewhere finds the data
        var csv = new StringBuilder("id,name\n");
        for (var i = 1; i <= 100_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},name{i}\n");
        }

        _folder.Write("data.csv", csv.ToString());
        var database = _folder.File("out.db");
        var pipeline = _folder.Write("load.yaml", $"""
            project: locks
            connections:
              - {"{"} name: Data, type: csv, path: {_folder.File("data.csv")} {"}"}
              - {"{"} name: Db, type: sqlite, database: {database} {"}"}
            operations:
              - name: Load
                source: {"{"} connection: Data, activity: query {"}"}
                target: {"{"} connection: Db, activity: create, table: t, create_table: true {"}"}
                options: {"{"} batch_size: 10 {"}"}
            """);
        Directory.CreateDirectory(_folder.File("elsewhere"));
        var link = _folder.File("elsewhere/link.yaml");
        File.CreateSymbolicLink(link, pipeline);
        using var first = Process.Start(ResumeTests.EtlProcess(["run", pipeline, "--quiet"]))!;
        var deadline = Stopwatch.StartNew();
        while (!HasRows(database) && !first.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        // When
        var throughLink = await Cli.RunAsync(["run", link]);
        var otherState = await Cli.RunAsync(["run", pipeline, "--state-dir", _folder.File("other-state")]);

        // Then: both refused while the first still runs, naming the resource and the holder
        Assert.False(first.HasExited, "the first run ended before the others tried");
        foreach (var refused in new[] { throughLink, otherState })
        {
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains($"SQLite database {CanonicalPath.Of(database)} is being written by another run", refused.Error, StringComparison.Ordinal);
            Assert.Contains($"process {first.Id}, pipeline {CanonicalPath.Of(pipeline)}, since ", refused.Error, StringComparison.Ordinal);
        }

        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();
        var after = await Cli.RunAsync(["run", link, "--quiet"]); // the kernel released the locks with the process
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    private static bool HasRows(string database)
    {
        try
        {
            return SqliteFile.Scalar(database, "SELECT count(*) FROM t") is > 0L;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false; // not created yet
        }
    }

    public void Dispose() => _folder.Dispose();
}
