using System.Diagnostics;

namespace EtlRunner.Execution;

/// <summary>
/// TEST-ONLY hook: with the environment variable <c>ETL_TEST_CRASH_AT</c> set to a point's name, the process kills
/// itself (SIGKILL, as <c>kill -9</c> would) when it reaches that point, so crash tests can stop a real <c>etl</c>
/// process at an exact moment. Points: <c>after-operation</c> (an operation's end was just recorded) and
/// <c>after-batch:OPERATION:N</c> (batch N of that operation was just confirmed in the ledger). Not for users.
/// </summary>
internal static class CrashPoint
{
    private static readonly string? Armed = Environment.GetEnvironmentVariable("ETL_TEST_CRASH_AT");

    /// <summary>Whether any point is armed, so hot paths can skip building a point's name.</summary>
    public static bool IsArmed => Armed is not null;

    public static void Reached(string point)
    {
        if (string.Equals(Armed, point, StringComparison.Ordinal))
        {
            Process.GetCurrentProcess().Kill();
        }
    }
}
