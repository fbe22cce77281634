namespace EtlRunner.Sandbox.Model;

/// <summary>A contact tag (/contact_tags); contacts hold tag ids in <see cref="ContactRecord.Tags"/>.</summary>
internal sealed class TagRecord
{
    public Guid Id { get; set; }

    public long Sequence { get; set; }

    public string Name { get; set; } = "";

    public string? TagSource { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
