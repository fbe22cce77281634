namespace EtlRunner.Connectors.Csv;

/// <summary>The parameters of a csv <c>create</c> activity.</summary>
internal sealed record CsvSinkOptions(bool Append)
{
    public static CsvSinkOptions From(Settings activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var mode = activity.GetString(CsvParameters.Mode) ?? CsvParameters.ModeOverwrite;
        return mode switch
        {
            CsvParameters.ModeOverwrite => new CsvSinkOptions(Append: false),
            CsvParameters.ModeAppend => new CsvSinkOptions(Append: true),
            _ => throw new ArgumentException($"Unknown mode '{mode}'. Known modes: {CsvParameters.ModeOverwrite}, {CsvParameters.ModeAppend}."),
        };
    }
}
