using System.Text.Json.Nodes;

namespace EtlRunner.Connectors.ConstantContact.Models.Requests;

/// <summary>The body of <c>POST /contacts</c> (<c>ContactPostRequest</c>): the record's known fields plus <c>create_source</c>.</summary>
internal sealed record NewContact(JsonObject Fields, string CreateSource)
{
    public JsonObject Body()
    {
        var body = (JsonObject)Fields.DeepClone();
        body["create_source"] ??= CreateSource;
        return body;
    }

    public string ToJson() => Body().ToJsonString();
}

/// <summary>The body of <c>PUT /contacts/{contact_id}</c> (<c>ContactPutRequest</c>): the full, merged contact plus <c>update_source</c>.</summary>
internal sealed record ContactUpdate(JsonObject Fields, string UpdateSource)
{
    public JsonObject Body()
    {
        var body = (JsonObject)Fields.DeepClone();
        body["update_source"] ??= UpdateSource;
        return body;
    }

    public string ToJson() => Body().ToJsonString();
}
