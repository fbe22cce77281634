using System.Globalization;
using System.Text.Json.Nodes;

namespace EtlRunner.Connectors.ConstantContact.Tests.Support;

/// <summary>Writes a sandbox seed file: lists, custom fields and contacts.</summary>
internal sealed class SeedData
{
    public static readonly Guid ListA = Guid.Parse("11111111-1111-4111-8111-111111111111");
    public static readonly Guid ListB = Guid.Parse("22222222-2222-4222-8222-222222222222");
    public static readonly Guid FieldColor = Guid.Parse("33333333-3333-4333-8333-333333333333");

    private readonly JsonArray _contacts = [];

    public int Count => _contacts.Count;

    /// <summary>Adds contacts person1@example.com ... with first names First1 ..., on ListA when <paramref name="onListA"/>.</summary>
    public SeedData Contacts(int count, string prefix = "person", bool onListA = false, bool onListB = false)
    {
        var start = _contacts.Count + 1;
        for (var i = start; i < start + count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            var contact = new JsonObject
            {
                ["email_address"] = new JsonObject { ["address"] = $"{prefix}{n}@example.com", ["permission_to_send"] = "implicit" },
                ["first_name"] = "First" + n,
                ["last_name"] = "Last" + n,
                ["job_title"] = "Job" + n,
            };
            var lists = new JsonArray();
            if (onListA)
            {
                lists.Add(ListA.ToString());
            }

            if (onListB)
            {
                lists.Add(ListB.ToString());
            }

            if (lists.Count > 0)
            {
                contact["list_memberships"] = lists;
            }

            _contacts.Add(contact);
        }

        return this;
    }

    public SeedData Contact(JsonObject contact)
    {
        _contacts.Add(contact);
        return this;
    }

    public string WriteTo(string folder)
    {
        var root = new JsonObject
        {
            ["lists"] = new JsonArray(
                new JsonObject { ["list_id"] = ListA.ToString(), ["name"] = "List A" },
                new JsonObject { ["list_id"] = ListB.ToString(), ["name"] = "List B" }),
            ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = FieldColor.ToString(), ["label"] = "Color", ["type"] = "string" }),
            ["contacts"] = _contacts.DeepClone(),
        };
        var path = Path.Combine(folder, "seed-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}
