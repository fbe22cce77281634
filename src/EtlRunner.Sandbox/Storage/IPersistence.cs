using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Storage;

/// <summary>Where the sandbox's records live between runs.</summary>
internal interface IPersistence : IDisposable
{
    PersistedData Load();

    /// <summary>Writes the given records (contacts, lists, custom fields, tags, activities) and removes deleted custom fields, atomically.</summary>
    void Save(IReadOnlyList<object> upserts, IReadOnlyList<Guid> deletedFields);
}

internal sealed class PersistedData
{
    public List<ContactRecord> Contacts { get; } = [];

    public List<ListRecord> Lists { get; } = [];

    public List<CustomFieldRecord> Fields { get; } = [];

    public List<TagRecord> Tags { get; } = [];

    public List<ActivityRecord> Activities { get; } = [];
}

/// <summary>No persistence: data lives in memory only.</summary>
internal sealed class MemoryPersistence : IPersistence
{
    public PersistedData Load() => new();

    public void Save(IReadOnlyList<object> upserts, IReadOnlyList<Guid> deletedFields)
    {
    }

    public void Dispose()
    {
    }
}
