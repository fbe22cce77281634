using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Tests.Support;

namespace EtlRunner.Sandbox.Tests;

public sealed class ContactValidationTests
{
    [Theory]
    [InlineData("first_name", 51)]
    [InlineData("last_name", 51)]
    [InlineData("job_title", 51)]
    [InlineData("company_name", 51)]
    public async Task PostContact_OverlongName_Returns400NamingTheField(string field, int length)
    {
        await using var api = await TestApi.StartAsync();
        var body = Bodies.Contact("x@example.com");
        body[field] = new string('a', length);

        var reply = await api.PostAsync("/v3/contacts", body);

        Assert.Equal(400, reply.Code);
        Assert.Equal("contacts.api.validation.error", reply.ErrorKey);
        Assert.Contains(reply.ErrorMessages, m => m.StartsWith(field, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"first_name":"A"}""", "create_source" },
        { """{"create_source":"Robot","first_name":"A"}""", "create_source" },
        { """{"create_source":"Account"}""", "At least one" },
        { """{"create_source":"Account","email_address":{"address":"not-an-email"}}""", "email_address.address" },
        { $$$"""{"create_source":"Account","email_address":{"address":"{{{new string('a', 75)}}}@example.com"}}""", "email_address.address" },
        { """{"create_source":"Account","email_address":{"address":"a@example.com","permission_to_send":"maybe"}}""", "permission_to_send" },
        { """{"create_source":"Account","first_name":"A","birthday_month":5}""", "birthday_day" },
        { """{"create_source":"Account","first_name":"A","birthday_month":2,"birthday_day":30}""", "birthday_day" },
        { """{"create_source":"Account","first_name":"A","birthday_month":13,"birthday_day":1}""", "birthday_month" },
        { """{"create_source":"Account","first_name":"A","anniversary":"15.11.2006"}""", "anniversary" },
        { """{"create_source":"Account","first_name":5}""", "first_name" },
        { """{"create_source":"Account","first_name":"A","phone_numbers":[{"phone_number":"1"},{"phone_number":"2"},{"phone_number":"3"},{"phone_number":"4"}]}""", "phone_numbers" },
        { """{"create_source":"Account","first_name":"A","street_addresses":[{"kind":"home"},{"kind":"work"},{"kind":"other"},{"kind":"home"}]}""", "street_addresses" },
        { """{"create_source":"Account","first_name":"A","street_addresses":[{"city":"X"}]}""", "street_addresses[0].kind" },
        { """{"create_source":"Account","first_name":"A","phone_numbers":[{"phone_number":"12345678901234567890123456"}]}""", "phone_numbers[0].phone_number" },
        { """{"create_source":"Account","first_name":"A","list_memberships":["nope"]}""", "list_memberships[0]" },
        { """{"create_source":"Account","first_name":"A","custom_fields":[{"value":"x"}]}""", "custom_fields[0].custom_field_id" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task PostContact_InvalidBody_Returns400WithFieldMessage(string json, string expected)
    {
        await using var api = await TestApi.StartAsync();

        var reply = await api.PostRawAsync("/v3/contacts", json);

        Assert.True(reply.Code == 400, reply.ToString());
        Assert.Contains(reply.ErrorMessages, m => m.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(api.Sandbox.Store.Contacts(includeDeleted: true));
    }

    [Fact]
    public async Task PostContact_CustomFieldLimits_Return400()
    {
        await using var api = await TestApi.StartAsync();
        var field = await api.CreateFieldAsync("Favorite Color");
        var tooLong = Bodies.Contact("x@example.com");
        tooLong["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = field, ["value"] = new string('v', 256) });
        var tooMany = Bodies.Contact("x@example.com");
        tooMany["custom_fields"] = new JsonArray([.. Enumerable.Range(0, 26).Select(_ => (JsonNode)new JsonObject
        {
            ["custom_field_id"] = field,
            ["value"] = "v",
        })]);
        var unknown = Bodies.Contact("x@example.com");
        unknown["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = Guid.NewGuid().ToString(), ["value"] = "v" });

        Assert.Contains("custom_fields[0].value", (await api.PostAsync("/v3/contacts", tooLong)).ErrorMessages[0], StringComparison.Ordinal);
        Assert.Contains("custom_fields", (await api.PostAsync("/v3/contacts", tooMany)).ErrorMessages[0], StringComparison.Ordinal);
        var reply = await api.PostAsync("/v3/contacts", unknown);
        Assert.Equal(400, reply.Code);
        Assert.Contains("does not exist", reply.ErrorMessages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostContact_MoreThan50Lists_Returns400()
    {
        await using var api = await TestApi.StartAsync();
        var body = Bodies.Contact("x@example.com");
        body["list_memberships"] = Bodies.Array([.. Enumerable.Range(0, 51).Select(_ => Guid.NewGuid().ToString())]);

        var reply = await api.PostAsync("/v3/contacts", body);

        Assert.Equal(400, reply.Code);
        Assert.Contains("list_memberships can contain at most 50 items.", reply.ErrorMessages);
    }

    [Fact]
    public async Task PostContact_AnniversaryFormats_AreNormalized()
    {
        await using var api = await TestApi.StartAsync();
        var body = Bodies.Contact("x@example.com");
        body["anniversary"] = "11/5/2006";

        var reply = await api.PostAsync("/v3/contacts", body);

        Assert.Equal("2006-11-05", reply.Object["anniversary"]!.GetValue<string>());
    }
    [Fact]
    public async Task PostContact_SmsChannelWithoutFullSmsAddress_Returns400NamingTheField()
    {
        await using var api = await TestApi.StartAsync();
        var body = Bodies.Contact("x@example.com");
        body["sms_channel"] = new JsonObject { ["sms_channel_consents"] = SmsConsents(1) };

        var reply = await api.PostAsync("/v3/contacts", body);

        Assert.Equal(400, reply.Code);
        Assert.Contains(reply.ErrorMessages, m => m.StartsWith("sms_channel.full_sms_address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostContact_SmsChannelBeyondLimitsTheContractDoesNotGive_IsAccepted()
    {
        await using var api = await TestApi.StartAsync();
        var body = Bodies.Contact("x@example.com");
        body["sms_channel"] = new JsonObject { ["full_sms_address"] = "+1 (781) 555-1212 ext", ["sms_channel_consents"] = SmsConsents(11) };

        var reply = await api.PostAsync("/v3/contacts", body);

        Assert.True(reply.Code == 201, reply.ToString());
        Assert.Equal("7815551212", reply.Object["sms_channel"]!["sms_address"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutContact_Unsubscribed_KeepsOptOutReason()
    {
        await using var api = await TestApi.StartAsync();
        var id = await api.CreateContactAsync("x@example.com", "Ann");

        await api.PutAsync($"/v3/contacts/{id}", new JsonObject
        {
            ["update_source"] = "Account",
            ["email_address"] = new JsonObject
            {
                ["address"] = "x@example.com",
                ["permission_to_send"] = "unsubscribed",
                ["opt_out_reason"] = "Too many emails",
            },
        });
        var reply = await api.GetAsync($"/v3/contacts/{id}");

        Assert.Equal("unsubscribed", reply.Object["email_address"]!["permission_to_send"]!.GetValue<string>());
        Assert.Equal("Too many emails", reply.Object["email_address"]!["opt_out_reason"]!.GetValue<string>());
    }

    private static JsonArray SmsConsents(int count) => new([.. Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject
    {
        ["sms_consent_permission"] = "explicit",
        ["consent_type"] = "promotional_sms",
    })]);
}
