using System.Text;
using System.Text.Json;
using EtlRunner.Diagnostics;
using EtlRunner.Execution;
using EtlRunner.Expressions;

namespace EtlRunner.Cli.Output;

/// <summary>The machine-readable output of every command: one JSON document on stdout, secrets masked.</summary>
internal static class JsonOutput
{
    public static void Write(TextWriter output, SecretMasker masker, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(json);
        }

        output.WriteLine(masker.Apply(Encoding.UTF8.GetString(buffer.ToArray())));
        output.Flush();
    }

    public static void WriteProblems(TextWriter output, IReadOnlyList<Diagnostic> diagnostics, SecretMasker masker) =>
        Write(output, masker, json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("valid", diagnostics.Count == 0);
            WriteProblemArray(json, diagnostics);
            json.WriteEndObject();
        });

    public static void WriteProblemArray(Utf8JsonWriter json, IReadOnlyList<Diagnostic> diagnostics)
    {
        json.WriteStartArray("problems");
        foreach (var diagnostic in diagnostics)
        {
            json.WriteStartObject();
            json.WriteString("file", diagnostic.Location.File);
            json.WriteNumber("line", diagnostic.Location.Line);
            json.WriteNumber("column", diagnostic.Location.Column);
            json.WriteString("message", diagnostic.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static void WriteReport(TextWriter output, RunReport report, SecretMasker masker) =>
        Write(output, masker, json =>
        {
            json.WriteStartObject();
            json.WriteString("run_id", report.RunId);
            json.WriteString("project", report.Project);
            json.WriteString("environment", report.Environment);
            json.WriteString("status", report.Cancelled ? "cancelled" : report.Failed ? "failed" : "succeeded");
            json.WriteBoolean("dry_run", report.DryRun);
            json.WriteString("start_time", SystemVariables.Format(report.StartTime));
            json.WriteNumber("duration_ms", (long)report.Duration.TotalMilliseconds);
            json.WriteNumber("exit_code", report.ExitCode);
            if (report.Resumed is { } resumed)
            {
                json.WriteStartObject("resumed");
                json.WriteString("run_id", resumed.RunId);
                json.WriteString("interrupted_at", SystemVariables.Format(resumed.InterruptedAt));
                json.WriteString("operation", resumed.Operation);
                json.WriteBoolean("after_operation", resumed.AfterOperation);
                json.WriteString("message", resumed.Describe());
                json.WriteEndObject();
            }

            if (report.Abandoned is { } abandoned)
            {
                json.WriteString("abandoned_run_id", abandoned);
            }
            json.WriteStartArray("operations");
            foreach (var operation in report.Operations)
            {
                json.WriteStartObject();
                json.WriteString("name", operation.Name);
                json.WriteString("status", PipelineRunner.StatusName(operation.Status));
                if (operation.ChainedFrom is not null)
                {
                    json.WriteString("chained_from", operation.ChainedFrom);
                }

                json.WriteString("source", operation.Source);
                json.WriteString("target", operation.Target);
                WriteCounts(json, operation.Counts);
                if (operation.PreviewRequests is { } requests)
                {
                    json.WriteNumber("requests", requests);
                }

                json.WriteNumber("duration_ms", (long)operation.Duration.TotalMilliseconds);
                json.WriteString("error", operation.Error);
                json.WriteString("rejects_file", operation.RejectsFile);
                json.WriteStartArray("warnings");
                foreach (var warning in operation.Warnings)
                {
                    json.WriteStringValue(warning);
                }

                json.WriteEndArray();
                if (operation.FromInterruptedRun)
                {
                    json.WriteBoolean("from_interrupted_run", true);
                }

                if (operation.LedgerMissing)
                {
                    json.WriteBoolean("ledger_missing", true);
                }

                if (operation.StoppedBy is { } cause)
                {
                    json.WriteString("stopped_by", StopCauseName(cause));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });

    /// <summary>
    /// The counts in <see cref="CountColumns"/>' order, keyed by their names: <c>read</c>, <c>filtered</c>, <c>written</c>,
    /// <c>created</c>, <c>updated</c>, <c>deleted</c>, <c>skipped</c>, <c>unchanged</c>, <c>rejected</c>; a kind the target
    /// did not say is null. A dry run keeps these keys (the report says <c>dry_run</c>).
    /// </summary>
    public static void WriteCounts(Utf8JsonWriter json, OperationCounts counts)
    {
        foreach (var (name, value) in CountColumns.Keys.Zip(CountColumns.Values(counts)))
        {
            if (value is { } n)
            {
                json.WriteNumber(name, n);
            }
            else
            {
                json.WriteNull(name);
            }
        }
    }

    /// <summary>What stopped an operation, in the JSON report: <c>connector_failure</c>, <c>engine_bug</c>, ...</summary>
    private static string StopCauseName(StopCause cause) => cause switch
    {
        StopCause.Cancelled => "cancelled",
        StopCause.TimedOut => "timed_out",
        StopCause.RejectLimit => "reject_limit",
        StopCause.ChangeLimit => "change_limit",
        StopCause.TargetStopped => "target_stopped",
        StopCause.ConnectorFailure => "connector_failure",
        StopCause.StateFailure => "state_failure",
        _ => "engine_bug",
    };
}
