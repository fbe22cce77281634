namespace EtlRunner.Sandbox;

/// <summary>A stored contact list and how many contacts are on it.</summary>
public sealed record ListSnapshot(Guid Id, string Name, string? Description, bool Favorite, bool IsDeleted, int MemberCount);
