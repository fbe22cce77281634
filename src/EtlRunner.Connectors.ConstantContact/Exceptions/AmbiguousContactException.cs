namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>
/// More than one live contact has the email address a record names: no contact is guessed, the record is rejected.
/// </summary>
internal sealed class AmbiguousContactException(string email, IReadOnlyList<string> contactIds)
    : ConstantContactException($"ambiguous: {contactIds.Count} contacts have email {email} ({string.Join(", ", contactIds)}); give the record a contact_id to choose one")
{
    public IReadOnlyList<string> ContactIds { get; } = contactIds;

    public override bool StopsOperation => false;
}
