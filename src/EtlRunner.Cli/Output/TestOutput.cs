using System.Text.Json;
using EtlRunner.Expressions;
using EtlRunner.Testing;

namespace EtlRunner.Cli.Output;

/// <summary>Pipeline unit test results: failures with their field-by-field diffs as text, every test as JSON.</summary>
internal static class TestOutput
{
    /// <summary>Each failing test: where it is, its name and operation, then each failure with the fields that differ.</summary>
    public static void WriteText(TextWriter output, SecretMasker masker, IEnumerable<PipelineTestResult> tests)
    {
        foreach (var test in tests.Where(t => !t.Passed))
        {
            output.WriteLine(masker.Apply($"{test.Location}: test '{test.Name}' of operation '{test.Operation}' failed"));
            foreach (var failure in test.Failures)
            {
                output.WriteLine(masker.Apply($"  {failure.Location}: {failure.Message}"));
                var width = failure.Fields.Count == 0 ? 0 : failure.Fields.Max(f => f.Field.Length);
                foreach (var field in failure.Fields)
                {
                    output.WriteLine(masker.Apply($"    {field.Field.PadRight(width)}  expected {field.Expected}"));
                    output.WriteLine(masker.Apply($"    {new string(' ', width)}  actual   {field.Actual}"));
                }
            }
        }
    }

    public static void WriteJson(Utf8JsonWriter json, IReadOnlyList<PipelineTestResult> tests)
    {
        json.WriteStartArray("tests");
        foreach (var test in tests)
        {
            json.WriteStartObject();
            json.WriteString("name", test.Name);
            json.WriteString("operation", test.Operation);
            json.WriteString("status", test.Passed ? "passed" : "failed");
            json.WriteNumber("line", test.Location.Line);
            json.WriteNumber("column", test.Location.Column);
            json.WriteStartArray("failures");
            foreach (var failure in test.Failures)
            {
                json.WriteStartObject();
                json.WriteNumber("line", failure.Location.Line);
                json.WriteNumber("column", failure.Location.Column);
                json.WriteString("message", failure.Message);
                WriteIndex(json, "record", failure.Record);
                WriteIndex(json, "given", failure.Given);
                json.WriteStartArray("fields");
                foreach (var field in failure.Fields)
                {
                    json.WriteStartObject();
                    json.WriteString("field", field.Field);
                    json.WriteString("expected", field.Expected);
                    json.WriteString("actual", field.Actual);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteIndex(Utf8JsonWriter json, string name, int? index)
    {
        if (index is { } value)
        {
            json.WriteNumber(name, value);
        }
    }
}
