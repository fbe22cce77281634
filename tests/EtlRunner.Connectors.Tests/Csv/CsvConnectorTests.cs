using EtlRunner.Connectors.Csv;
using EtlRunner.Connectors.Tests.Support;
using static EtlRunner.Connectors.Tests.Csv.CsvTestHelpers;

namespace EtlRunner.Connectors.Tests.Csv;

public sealed class CsvConnectorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AddCsv_RegistersCsvType()
    {
        var registry = new ConnectorRegistry().AddCsv();

        Assert.IsType<CsvConnector>(registry.Get("csv"));
    }

    [Fact]
    public void Descriptor_SupportsQueryAndCreateOnly()
    {
        var descriptor = new CsvConnector().Descriptor;

        Assert.Equal("csv connections support query and create", descriptor.DescribeSupportedActivities());
    }

    [Fact]
    public void Descriptor_EveryParameterHasDescriptionAndEnumsListValues()
    {
        var descriptor = new CsvConnector().Descriptor;
        var all = descriptor.ConnectionParameters.Concat(descriptor.Activities.SelectMany(a => a.Parameters)).ToList();

        Assert.All(all, p => Assert.False(string.IsNullOrWhiteSpace(p.Description), p.Name));
        Assert.Equal(["overwrite", "append"], all.Single(p => p.Name == "mode").AllowedValues);
        Assert.Equal("overwrite", all.Single(p => p.Name == "mode").Default);
        Assert.True(all.Single(p => p.Name == "path").Required);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("\"")]
    [InlineData("§")]
    public void Validate_BadDelimiter_ReportsProblem(string delimiter)
    {
        var problems = new CsvConnector().Validate(ActivityKind.Query, Contexts.Settings(("path", "/x.csv"), ("delimiter", delimiter)), Settings.Empty);

        Assert.Equal("delimiter", Assert.Single(problems).Setting);
    }

    [Fact]
    public void Validate_DefaultSettings_ReportsNothing()
    {
        var problems = new CsvConnector().Validate(ActivityKind.Create, Contexts.Settings(("path", "/x.csv"), ("delimiter", "tab")), Settings.Empty);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task TestAsync_ExistingFile_ReportsReadableWithSize()
    {
        var path = _folder.Write("x.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1234,5678\n", 1300)));

        var result = await new CsvConnector().TestAsync(Contexts.Connection(Connection(path)), CancellationToken.None);

        Assert.True(result.Success);
        Assert.Equal($"readable: {path} (13,004 bytes)", result.Message);
    }

    [Fact]
    public async Task TestAsync_MissingFileForQuery_FailsFileNotFound()
    {
        var path = _folder.File("x.csv");

        var result = await new CsvConnector().TestAsync(Contexts.Activity(ActivityKind.Query, Connection(path)), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal($"cannot read {path}: file not found", result.Message);
    }

    [Fact]
    public async Task TestAsync_MissingFileForCreate_ChecksFolderIsWritable()
    {
        var path = _folder.File("x.csv");

        var result = await new CsvConnector().TestAsync(Contexts.Activity(ActivityKind.Create, Connection(path)), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Equal($"writable: {_folder.Path}", result.Message);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void CreateSink_Update_IsNotSupported()
    {
        var context = Contexts.Activity(ActivityKind.Update, Connection(_folder.File("x.csv")));

        var ex = Assert.Throws<NotSupportedException>(() => new CsvConnector().CreateSink(context));

        Assert.StartsWith("csv connections support query and create", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadResource_NamesTheFileAsWriteResourceDoes_SoADryRunKnowsAQueryReadsWhatACreateWrites()
    {
        var connector = new CsvConnector();
        var path = _folder.File("x.csv");
        var samePath = Path.Combine(_folder.Path, "sub", "..", "x.csv");

        var reads = connector.ReadResource(Contexts.Settings(("path", samePath)), Contexts.Settings());

        Assert.Equal(connector.WriteResource(ActivityKind.Create, Contexts.Settings(("path", path)), Contexts.Settings()), reads);
        Assert.NotEqual(connector.WriteResource(ActivityKind.Create, Contexts.Settings(("path", _folder.File("y.csv"))), Contexts.Settings()), reads);
    }
}
