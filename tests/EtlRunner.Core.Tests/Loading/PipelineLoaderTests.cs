using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Loading;

public sealed class PipelineLoaderTests : IDisposable
{
    private readonly PipelineHarness _harness = new();

    private const string Valid = """
        project: demo
        connections:
          - name: In
            type: memory
            store: input
          - name: Out
            type: memory
            store: output
        operations:
          - name: Copy
            source: { connection: In, activity: query }
            target: { connection: Out, activity: create }
        """;

    [Fact]
    public void Load_ValidFile_ReadsConnectionsAndOperations()
    {
        var pipeline = _harness.LoadValid(Valid);

        Assert.Equal("demo", pipeline.Project.Value);
        Assert.Equal(["In", "Out"], pipeline.Connections.Select(c => c.Name.Value));
        Assert.Equal("Copy", Assert.Single(pipeline.Operations).Name.Value);
    }

    [Fact]
    public void Load_MisspelledKey_SuggestsTheNearestKeyWithPosition()
    {
        var problems = _harness.Problems(Valid.Replace("source: { connection: In", "source: { conection: In", StringComparison.Ordinal));

        var problem = Assert.Single(problems, p => p.Message.Contains("conection", StringComparison.Ordinal));
        Assert.Contains("unknown key 'conection'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'connection'?", problem.Message, StringComparison.Ordinal);
        Assert.Equal(11, problem.Location.Line);
        Assert.EndsWith("pipeline.yaml", problem.Location.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SyntaxError_ReportsLineAndColumn()
    {
        var problems = _harness.Problems("project: demo\nconnections: [\n  - name: x\n");

        var problem = Assert.Single(problems);
        Assert.StartsWith("YAML syntax error", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Location.Line >= 2);
    }

    [Fact]
    public void Load_TabIndentation_SaysTabsAreNotAllowed()
    {
        var problems = _harness.Problems("project: demo\nconnections:\n\t- name: x\n");

        Assert.Contains(problems, p => p.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && p.Location.Line == 3);
    }

    [Fact]
    public void Load_DuplicateKey_ReportsBothLines()
    {
        var problems = _harness.Problems("project: demo\nproject: again\nconnections: []\noperations: []\n");

        var problem = Assert.Single(problems);
        Assert.Equal("duplicate key 'project' (first defined at line 1)", problem.Message);
        Assert.Equal(2, problem.Location.Line);
    }

    [Fact]
    public void Load_BillionLaughs_FailsFastWithoutExpanding()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 9; i++)
        {
            var prev = (char)('a' + i);
            var next = (char)('b' + i);
            yaml += $"{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n";
        }

        var started = GC.GetAllocatedBytesForCurrentThread();
        var problems = _harness.Problems(yaml);

        Assert.Contains(problems, p => p.Message.Contains("expands to more than", StringComparison.Ordinal));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - started < 50_000_000, "loading an alias bomb must not allocate its expansion");
    }

    [Fact]
    public void Load_DeepNesting_IsRefused()
    {
        var yaml = "project: " + new string('[', 200) + new string(']', 200) + "\n";

        var problems = _harness.Problems(yaml);

        Assert.Contains(problems, p => p.Message.Contains("nested more than", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EmptyFile_SaysWhatAPipelineNeeds()
    {
        var problem = Assert.Single(_harness.Problems(string.Empty));

        Assert.Contains("the file is empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongType_NamesTheExpectedShape()
    {
        var problems = _harness.Problems("project: demo\nconnections: just-text\noperations: []\n");

        Assert.Contains(problems, p => p.Message == "'connections' must be a list (- item), not a scalar" && p.Location.Line == 2);
    }

    [Fact]
    public void Load_UnknownConnectorType_ListsKnownTypes()
    {
        var problems = _harness.Problems(Valid.Replace("type: memory\n    store: input", "type: memroy\n    store: input", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.StartsWith("unknown connector type 'memroy' (did you mean 'memory'?). Known types: memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_LargeValidFile_Loads()
    {
        var yaml = Valid + "\nvariables:\n" + string.Concat(Enumerable.Range(0, 150_000).Select(i => $"  v{i}: \"value number {i} with some padding text\"\n"));

        var result = _harness.Load(yaml);

        Assert.True(new FileInfo(_harness.Folder.File("pipeline.yaml")).Length > 7_000_000);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(150_000, result.Pipeline!.Variables.Count);
    }

    [Fact]
    public void Load_InvalidUtf8_IsReportedNotCrashed()
    {
        var path = _harness.Folder.File("bad.yaml");
        File.WriteAllBytes(path, [.. "project: \""u8, 0xC3, 0x28, .. "\"\n"u8]);

        var result = new EtlRunner.Loading.PipelineLoader(_harness.Registry).LoadFile(path);

        Assert.Contains(result.Diagnostics, d => d.Message == "the file is not valid UTF-8 text");
    }

    public void Dispose() => _harness.Dispose();
}
