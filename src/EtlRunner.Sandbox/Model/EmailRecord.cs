namespace EtlRunner.Sandbox.Model;

internal sealed class EmailRecord
{
    public string Address { get; set; } = "";

    public string PermissionToSend { get; set; } = "implicit";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? OptInSource { get; set; }

    public DateTimeOffset? OptInDate { get; set; }

    public string? OptOutSource { get; set; }

    public DateTimeOffset? OptOutDate { get; set; }

    public string? OptOutReason { get; set; }

    public string ConfirmStatus { get; set; } = "off";

    public static EmailRecord Create(string address, string permission, string source, DateTimeOffset now)
    {
        var email = new EmailRecord { Address = address, CreatedAt = now, UpdatedAt = now };
        email.ApplyPermission(permission, source, now);
        return email;
    }

    /// <summary>Changes the permission (no-op when unchanged) with the opt-in/opt-out bookkeeping that goes with it.</summary>
    public void SetPermission(string permission, string source, DateTimeOffset now)
    {
        if (permission != PermissionToSend)
        {
            ApplyPermission(permission, source, now);
        }
    }

    private void ApplyPermission(string permission, string source, DateTimeOffset now)
    {
        PermissionToSend = permission;
        UpdatedAt = now;
        if (permission is "explicit" or "implicit")
        {
            OptInSource ??= source;
            OptInDate = now;
            OptOutSource = null;
            OptOutDate = null;
            OptOutReason = null;
        }
        else if (permission == "unsubscribed")
        {
            OptOutSource = source;
            OptOutDate = now;
        }
    }
}
