namespace EtlRunner.Diagnostics;

/// <summary>
/// The messages of the model checks: names, chains, variables and the tests' references. <c>what</c> arguments
/// name the part of the file (<c>test 'signups pass'</c>).
/// </summary>
internal static class ValidationErrors
{
    public static string NoProject() => "'project' must name the project";

    public static string InvalidName(string kind, string name) => $"invalid {kind} name '{name}': names must not contain '/' or ':'";

    public static string DuplicateName(string kind, string name, int firstLine) => $"duplicate {kind} name '{name}' (first declared at line {firstLine})";

    public static string RejectsFileNameTooLong(string name, int bytes, int limit) =>
        $"operation name '{name[..40]}…' is too long: its rejects file name would be {bytes} bytes, more than the {limit} a file name can have; shorten it";

    public static string SharedRejectsFile(string name, string file, string other, int otherLine) =>
        $"operation '{name}' would share its rejects file '{file}' with operation '{other}' (line {otherLine}); rename one of them";

    public static string NoSuchChainedOperation(string key, string operation, string name, IEnumerable<string> operations) =>
        $"{key} of operation '{operation}': no operation named '{name}'{Suggestions.DidYouMean(name, operations)}";

    public static string ChainLoops(IReadOnlyList<string> loop) =>
        $"the chain loops: {string.Join(" -> ", loop)} -> {loop[0]}; an operation cannot run itself again through on_success / on_failure";

    public static string UnknownEnvironment(string environment, IReadOnlyList<string> declared) =>
        $"--environment '{environment}' is not declared under 'environments'" + (declared.Count == 0 ? " (the file declares none)" : $"; declared: {string.Join(", ", declared)}");

    public static string UndeclaredCommandLineVariable(string name, IEnumerable<string> declared) =>
        $"--var {name}: no variable '{name}' is declared under 'variables'{Suggestions.DidYouMean(name, declared)}";

    public static string UndeclaredEnvironmentVariable(string environment, string name, IEnumerable<string> declared) =>
        $"environment '{environment}' sets '{name}', which is not declared under 'variables'{Suggestions.DidYouMean(name, declared)}";

    public static string InvalidVariableName(string name) =>
        $"invalid variable name '{name}': use letters, digits, '_' and '.', start with a letter, and do not use the reserved prefixes system. and jitterbit.";

    public static string DuplicateTestName(string name) => $"duplicate test name '{name}': each test needs its own name, so a failure says which one";

    public static string TestChecksNothing(string what) => $"{what} checks nothing: add expect, expect_filtered, expect_rejected or expect_globals";

    public static string TestOfNoOperation(string what, string name, IReadOnlyList<string> operations) =>
        $"{what}: no operation named '{name}'{Suggestions.DidYouMean(name, operations)}; operations: {Suggestions.ListOrNone(operations)}";

    public static string NotSetByOperation(string what, string operation, string name, IReadOnlyList<string> set) =>
        $"{what}: operation '{operation}' does not set '{name}'{Suggestions.DidYouMean(name, set)}; its 'set:' has {(set.Count == 0 ? "no entries" : string.Join(", ", set))}";

    public static string RejectedIndexPastGiven(string what, int index, string range) => $"{what}: expect_rejected index {index} is past the given records ({range})";

    public static string FilteredPastGiven(string what, string range) => $"{what}: expect_filtered goes past the given records ({range})";

    public static string VariableTakesOneValue(string what, string name) => $"{what}: project variable '{name}' takes a single value, as from --var";

    public static string UnknownTestVariable(string what, string name, string operation, IReadOnlyList<string> known) =>
        $"{what}: '{name}' is neither a project variable nor a global set upstream of operation '{operation}'{Suggestions.DidYouMean(name, known)}; known: {Suggestions.ListOrNone(known)}";
}
