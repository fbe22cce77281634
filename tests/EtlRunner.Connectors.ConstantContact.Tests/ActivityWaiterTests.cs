namespace EtlRunner.Connectors.ConstantContact.Tests;

public sealed class ActivityWaiterTests
{
    [Fact]
    public void AttributeErrors_RowNumbersEmailsAndIds_FindTheirItems()
    {
        // Given
        string?[] keys = ["a@example.com", "b@example.com", "5b1f0000-0000-4000-8000-000000000001", null];
        string[] errors =
        [
            "Row 4 (no email): does not have minimal contact information (no email address)",
            "invalid email address format for B@example.com.",
            "contact_id 5b1f0000-0000-4000-8000-000000000001 was not found.",
            "something went wrong",
        ];

        // When
        var attributed = ActivityWaiter.AttributeErrors(errors, keys);

        // Then
        Assert.Equal(errors[0], Assert.Single(attributed[3]));
        Assert.Equal(errors[1], Assert.Single(attributed[1]));
        Assert.Equal(errors[2], Assert.Single(attributed[2]));
        Assert.Equal(errors[3], Assert.Single(attributed[-1]));
    }
}
