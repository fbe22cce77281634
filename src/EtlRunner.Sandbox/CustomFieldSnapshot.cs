namespace EtlRunner.Sandbox;

/// <summary>A stored custom field; <see cref="Name"/> is what <c>cf:&lt;name&gt;</c> import keys refer to.</summary>
public sealed record CustomFieldSnapshot(Guid Id, string Label, string Name, string Type);
