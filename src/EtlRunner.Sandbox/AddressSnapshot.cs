namespace EtlRunner.Sandbox;

/// <summary>A stored street address of a contact.</summary>
public sealed record AddressSnapshot(string Kind, string? Street, string? City, string? State, string? PostalCode, string? Country);
