namespace EtlRunner.Connectors.ConstantContact.Exceptions;

/// <summary>
/// The connector's exception family. Every message is written for the person running the operation and never
/// carries a secret; each case has a named factory so its text lives in one place.
/// </summary>
internal abstract class ConstantContactException : Exception
{
    protected ConstantContactException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when no further record can succeed (credentials, quota, a service that keeps failing): a sink stops the
    /// operation with this message. False when only the record at hand failed (400, 404, 409).
    /// </summary>
    public virtual bool StopsOperation => true;
}
