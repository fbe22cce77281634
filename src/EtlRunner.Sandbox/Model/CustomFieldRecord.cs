namespace EtlRunner.Sandbox.Model;

internal sealed class CustomFieldRecord
{
    public Guid Id { get; set; }

    public long Sequence { get; set; }

    public string Label { get; set; } = "";

    public string Name { get; set; } = "";

    public string Type { get; set; } = "string";

    public int? Version { get; set; }

    /// <summary>The <c>metadata</c> object as sent, kept as raw JSON.</summary>
    public string? MetadataJson { get; set; }

    public List<ChoiceRecord> Choices { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The read-only <c>name</c> the API derives from a label: blanks become underscores.</summary>
    public static string NameFor(string label) =>
        string.Join('_', label.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

internal sealed class ChoiceRecord
{
    public int Id { get; set; }

    public string Label { get; set; } = "";

    public int? DisplayOrder { get; set; }
}
