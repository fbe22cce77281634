using EtlRunner.Connectors;
using EtlRunner.Diagnostics;
using EtlRunner.Expressions;
using EtlRunner.Model;
using EtlRunner.Planning;
using EtlRunner.Testing;

namespace EtlRunner.Core.Tests.Planning;

public sealed class SettingsBinderTests : IDisposable
{
    private const string What = "the target of operation 'Load'";

    private readonly PipelineHarness _harness = new();
    private readonly SecretMasker _masker = new();

    private (Settings Settings, List<string> Messages) Bind(ParameterSpec spec, object? value, IReadOnlySet<string>? deferred = null)
    {
        var pipeline = _harness.LoadValid("""
            project: demo
            variables:
              size: "42"
              token: { value: s3cr3t, secret: true }
            connections: []
            operations: []
            """);
        var system = PipelineCompiler.SystemOf(pipeline, environment: null);
        var scope = new VariableScope(new Dictionary<string, object?>(), ProjectVariables.Resolve(pipeline, PipelineHarness.NoEnvironment, new DiagnosticBag()), system);
        var fields = value is null
            ? new Dictionary<string, FieldValue>()
            : new Dictionary<string, FieldValue> { [spec.Name] = new(value, new SourceLocation(pipeline.FilePath, 7, 3)) };
        var diagnostics = new DiagnosticBag();
        var binder = new SettingsBinder(scope, "/base", _masker) { Deferred = deferred ?? new HashSet<string>() };
        var settings = binder.Bind([spec], fields, new SourceLocation(pipeline.FilePath, 6, 1), What, diagnostics);
        return (settings, [.. diagnostics.Items.Select(d => d.Message)]);
    }

    private static FieldValue[] Items(params string[] items) => [.. items.Select(i => new FieldValue(i, new SourceLocation("p.yaml", 7, 5)))];

    [Theory]
    [InlineData(ParameterType.Integer, "[size]", 42L)]
    [InlineData(ParameterType.Number, "2.5", 2.5)]
    [InlineData(ParameterType.Boolean, "true", true)]
    [InlineData(ParameterType.String, "[size] rows", "42 rows")]
    public void Bind_ValueOfItsType_IsConverted(ParameterType type, string written, object expected)
    {
        var (settings, messages) = Bind(new ParameterSpec("field", type, "A field."), written);

        Assert.Empty(messages);
        Assert.Equal(expected, settings.Get("field"));
    }

    [Theory]
    [InlineData(ParameterType.Integer, "many", "a whole number")]
    [InlineData(ParameterType.Number, "lots", "a number")]
    [InlineData(ParameterType.Boolean, "yes", "true or false")]
    [InlineData(ParameterType.Duration, "soon", DurationText.Examples)]
    [InlineData(ParameterType.ChangeLimit, "half", "a count (50) or a percentage (5%)")]
    public void Bind_ValueNotOfItsType_SaysWhatItMustBe(ParameterType type, string written, string expected)
    {
        var (_, messages) = Bind(new ParameterSpec("field", type, "A field."), written);

        Assert.Equal([$"{What}: 'field' must be {expected}, not '{written}'"], messages);
    }

    [Fact]
    public void Bind_Path_ResolvesAgainstTheBaseFolder()
    {
        var (settings, _) = Bind(new ParameterSpec("path", ParameterType.Path, "A file."), "data/in.csv");

        Assert.Equal(Path.GetFullPath("/base/data/in.csv"), settings.Get("path"));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    public void Bind_Duration_AcceptsUnits(string written, int seconds)
    {
        var (settings, messages) = Bind(new ParameterSpec("timeout", ParameterType.Duration, "A duration."), written);

        Assert.Empty(messages);
        Assert.Equal(TimeSpan.FromSeconds(seconds), settings.Get("timeout"));
    }

    [Theory]
    [InlineData("50", 50L, null)]
    [InlineData("5%", null, 5.0)]
    public void Bind_ChangeLimit_AcceptsACountOrAPercentage(string written, long? count, double? percent)
    {
        var (settings, messages) = Bind(new ParameterSpec("max_deletes", ParameterType.ChangeLimit, "A limit."), written);

        Assert.Empty(messages);
        Assert.Equal(new ChangeLimit(count, percent), settings.Get("max_deletes"));
    }

    [Fact]
    public void Bind_StringList_SplitsTextAtCommas()
    {
        var (settings, _) = Bind(new ParameterSpec("key", ParameterType.StringList, "Keys."), "email, id");

        Assert.Equal(["email", "id"], Assert.IsType<List<string>>(settings.Get("key")));
    }

    [Fact]
    public void Bind_StringListItemNotAllowed_ListsTheValidValues()
    {
        var spec = new ParameterSpec("status", ParameterType.StringList, "Statuses.") { AllowedValues = ["active", "deleted"] };

        var (_, messages) = Bind(spec, Items("active", "gone"));

        Assert.Equal([$"{What}: 'gone' is not a valid value for 'status'; valid values: active, deleted"], messages);
    }

    [Fact]
    public void Bind_Map_RefusesText()
    {
        var (_, messages) = Bind(new ParameterSpec("parameters", ParameterType.Map, "Parameters."), "run=1");

        Assert.Equal([$"{What}: 'parameters' must be a mapping (name: value), not 'run=1'"], messages);
    }

    [Fact]
    public void Bind_Absent_TakesTheDefault()
    {
        var (settings, messages) = Bind(new ParameterSpec("batch_size", ParameterType.Integer, "Batch.") { Default = 500L }, null);

        Assert.Empty(messages);
        Assert.Equal(500L, settings.Get("batch_size"));
    }

    [Fact]
    public void Bind_RequiredAbsent_NamesTheFieldAndWhatItIs()
    {
        var (_, messages) = Bind(new ParameterSpec("table", ParameterType.String, "The table written to.") { Required = true }, null);

        Assert.Equal([$"{What} is missing the required field 'table' (The table written to.)"], messages);
    }

    [Fact]
    public void Bind_IntegerOutOfRange_SaysTheRange()
    {
        var (_, messages) = Bind(new ParameterSpec("batch_size", ParameterType.Integer, "Batch.") { Minimum = 1, Maximum = 1000 }, "0");

        Assert.Equal([$"{What}: 'batch_size' must be between 1 and 1000, not 0"], messages);
    }

    [Fact]
    public void Bind_ValueNotAllowed_SuggestsTheNearest()
    {
        var (_, messages) = Bind(new ParameterSpec("mode", ParameterType.String, "Mode.") { AllowedValues = ["single", "bulk"] }, "bluk");

        Assert.Equal([$"{What}: 'mode' must be one of single, bulk, not 'bluk' (did you mean 'bulk'?)"], messages);
    }

    [Fact]
    public void Bind_SecretOfTheWrongType_IsMaskedInTheMessage()
    {
        var (_, messages) = Bind(new ParameterSpec("token", ParameterType.Integer, "A token.") { Secret = true }, "[token]");

        Assert.Equal([$"{What}: 'token' must be a whole number, not {SecretMasker.Mask}"], messages);
        Assert.Equal($"x {SecretMasker.Mask} x", _masker.Apply("x s3cr3t x"));
    }

    [Fact]
    public void Bind_DeferredReference_LeavesTheSettingUnsetAndSaysSo()
    {
        var deferred = new HashSet<string> { "last_load" };
        var pipeline = _harness.LoadValid("project: demo\nconnections: []\noperations: []\n");
        var scope = new VariableScope(new Dictionary<string, object?>(), ProjectVariables.Resolve(pipeline, PipelineHarness.NoEnvironment, new DiagnosticBag()), PipelineCompiler.SystemOf(pipeline, null));
        var binder = new SettingsBinder(scope, "/base", _masker) { Deferred = deferred };
        var diagnostics = new DiagnosticBag();

        var settings = binder.Bind(
            [new ParameterSpec("batch_size", ParameterType.Integer, "Batch.")],
            new Dictionary<string, FieldValue> { ["batch_size"] = new("[last_load]", new SourceLocation("p.yaml", 1, 1)) },
            new SourceLocation("p.yaml", 1, 1),
            What,
            diagnostics);

        Assert.Empty(diagnostics.Items);
        Assert.False(settings.Has("batch_size"));
        Assert.True(binder.UsedDeferred);
    }

    public void Dispose() => _harness.Dispose();
}
