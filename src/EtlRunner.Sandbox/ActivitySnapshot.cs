namespace EtlRunner.Sandbox;

/// <summary>A bulk activity: its kind (contacts_json_import, contact_delete, list_delete), state and errors.</summary>
public sealed record ActivitySnapshot(Guid Id, string Kind, string State, int PercentDone, IReadOnlyList<string> Errors);
