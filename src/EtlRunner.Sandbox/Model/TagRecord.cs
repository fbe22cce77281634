using System.Text.Json.Serialization;

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

    /// <summary>When a DELETE /contact_tags/{tag_id} activity completed; a deleted tag is kept (like a deleted list) but no longer served.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    [JsonIgnore]
    public bool IsDeleted => DeletedAt is not null;
}
