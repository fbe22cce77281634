using System.Text.Json.Serialization;

namespace EtlRunner.Sandbox.Model;

internal sealed class ListRecord
{
    public Guid Id { get; set; }

    public long Sequence { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public bool Favorite { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    [JsonIgnore]
    public bool IsDeleted => DeletedAt is not null;
}
