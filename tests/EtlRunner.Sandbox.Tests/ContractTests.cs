using System.Text.Json;
using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace EtlRunner.Sandbox.Tests;

/// <summary>Checks the sandbox against Constant Contact's own swagger.yaml.</summary>
public sealed class ContractTests
{
    private static readonly SwaggerContract Contract = SwaggerContract.Shared;

    [Fact]
    public void EveryRoute_IsInTheSwagger_AndEveryQueryParameterItReadsIsDeclared()
    {
        var problems = new List<string>();
        foreach (var route in ApiRoutes.All)
        {
            var operation = Contract.Operation(route.Template["/v3".Length..], route.Method);
            if (operation is null)
            {
                problems.Add($"{route.Key}: no such operation in swagger.yaml");
                continue;
            }

            var declared = Contract.QueryParameters(operation);
            problems.AddRange(route.QueryParameters.Where(p => p != "cursor" && !declared.Contains(p))
                .Select(p => $"{route.Key}: query parameter '{p}' is not declared"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Validator_RejectsUnknownFieldsWrongTypesAndBadFormats()
    {
        var validator = new SchemaValidator(Contract);
        var body = JsonDocument.Parse("""
            {"contact_id":"nope","first_name":5,"bogus":true,"created_at":"yesterday",
             "email_address":{"permission_to_send":"implicit"},"custom_fields":[{"value":"x"}]}
            """).RootElement;

        var errors = validator.Validate(body, Contract.Definition("ContactResource"), "$");

        Assert.Contains("$.contact_id: 'nope' does not have format uuid", errors);
        Assert.Contains("$.first_name: expected a string, got Number", errors);
        Assert.Contains("$.bogus: field is not in the schema", errors);
        Assert.Contains("$.created_at: 'yesterday' does not have format date-time", errors);
        Assert.Contains("$.email_address.address: required field is missing", errors);
        Assert.Contains("$.custom_fields[0].custom_field_id: required field is missing", errors);
    }

    [Fact]
    public async Task EveryResponse_OfEveryImplementedRoute_MatchesTheSwaggerDefinitionForItsStatus()
    {
        await using var api = await TestApi.StartFakeAsync(TimeSpan.FromSeconds(3));
        await RunScenarioAsync(api);

        var validator = new SchemaValidator(Contract);
        var problems = new List<string>();
        var covered = new HashSet<string>();
        foreach (var exchange in api.Exchanges.Where(e => e.Path.StartsWith("/v3/", StringComparison.Ordinal)))
        {
            var route = Match(exchange);
            if (route is null)
            {
                problems.Add($"{exchange.Method} {exchange.Path}: no sandbox route");
                continue;
            }

            covered.Add(route.Key);
            problems.AddRange(Check(validator, route, exchange));
        }

        Assert.Empty(problems);
        Assert.Empty(ApiRoutes.All.Select(r => r.Key).Except(covered));
    }

    private static IEnumerable<string> Check(SchemaValidator validator, ApiRoute route, Exchange exchange)
    {
        var where = $"{exchange.Method} {exchange.Path} -> {exchange.Status}";
        var operation = Contract.Operation(route.Template["/v3".Length..], route.Method)!;
        if (exchange.Body.Length > 0 && exchange.ContentType != "application/json")
        {
            yield return $"{where}: Content-Type is {exchange.ContentType}";
        }

        if (exchange.Status is 401 or 429)
        {
            foreach (var e in ErrorBody(validator, exchange, where))
            {
                yield return e;
            }

            yield break;
        }

        var response = Contract.Response(operation, exchange.Status);
        if (response is null)
        {
            yield return $"{where}: status {exchange.Status} is not declared for {route.Key}";
            yield break;
        }

        if (response.Children.TryGetValue(new YamlScalarNode("schema"), out var schema))
        {
            foreach (var e in validator.Validate(JsonDocument.Parse(exchange.Body).RootElement, (YamlMappingNode)schema, where))
            {
                yield return e;
            }
        }
        else if (exchange.Status >= 400)
        {
            foreach (var e in ErrorBody(validator, exchange, where))
            {
                yield return e;
            }
        }
        else if (exchange.Body.Length > 0)
        {
            yield return $"{where}: no body expected";
        }
    }

    private static IEnumerable<string> ErrorBody(SchemaValidator validator, Exchange exchange, string where)
    {
        var body = JsonDocument.Parse(exchange.Body).RootElement;
        var definition = body.ValueKind == JsonValueKind.Array ? "APIErrorSchema" : "AuthorizationErrorSchema";
        var items = body.ValueKind == JsonValueKind.Array ? body.EnumerateArray().ToList() : [body];
        var missing = items.Count == 0 || items.Any(i =>
            !i.TryGetProperty("error_key", out var k) || k.GetString() is not { Length: > 0 }
            || !i.TryGetProperty("error_message", out var m) || m.GetString() is not { Length: > 0 });
        return validator.Validate(body, Contract.Definition(definition), where)
            .Concat(missing ? [$"{where}: error body without error_key/error_message"] : []);
    }

    private static ApiRoute? Match(Exchange exchange)
    {
        var segments = exchange.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return ApiRoutes.All
            .Where(r => r.Method == exchange.Method)
            .Select(r => (Route: r, Parts: r.Template.Split('/', StringSplitOptions.RemoveEmptyEntries)))
            .Where(r => r.Parts.Length == segments.Length
                && r.Parts.Zip(segments).All(p => p.First.StartsWith('{') || p.First == p.Second))
            .OrderByDescending(r => r.Parts.Count(p => !p.StartsWith('{')))
            .Select(r => r.Route)
            .FirstOrDefault();
    }

    private static async Task RunScenarioAsync(TestApi api)
    {
        api.UseToken(null);
        await api.GetAsync("/v3/contacts");
        api.UseToken(api.Sandbox.AccessToken);

        var list = await api.CreateListAsync("Contract");
        var other = await api.CreateListAsync("Other");
        await api.PostAsync("/v3/contact_lists", new JsonObject { ["name"] = "Contract" });
        await api.PostAsync("/v3/contact_lists", new JsonObject { ["favorite"] = true });
        await api.GetAsync("/v3/contact_lists?include_count=true&include_membership_count=all&limit=1");
        await api.GetAsync("/v3/contact_lists?limit=0");
        await api.GetAsync($"/v3/contact_lists/{list}?include_membership_count=active");
        await api.GetAsync($"/v3/contact_lists/{Guid.NewGuid()}");
        await api.PutAsync($"/v3/contact_lists/{other}", new JsonObject { ["name"] = "Other 2", ["description"] = "d", ["favorite"] = true });
        await api.PutAsync($"/v3/contact_lists/{Guid.NewGuid()}", new JsonObject { ["name"] = "x" });

        var field = await api.CreateFieldAsync("Color");
        await api.PostAsync("/v3/contact_custom_fields", new JsonObject
        {
            ["label"] = "Fruit",
            ["type"] = "single_select",
            ["metadata"] = new JsonObject { ["display_type"] = "radio" },
            ["choices"] = new JsonArray(new JsonObject { ["choice_label"] = "Apple", ["display_order"] = 1 }),
        });
        await api.PostAsync("/v3/contact_custom_fields", new JsonObject { ["label"] = "Color", ["type"] = "string" });
        await api.PostAsync("/v3/contact_custom_fields", new JsonObject { ["label"] = "No type" });
        await api.GetAsync("/v3/contact_custom_fields?limit=1");
        await api.GetAsync($"/v3/contact_custom_fields/{field}");
        await api.GetAsync($"/v3/contact_custom_fields/{Guid.NewGuid()}");
        await api.PutAsync($"/v3/contact_custom_fields/{field}", new JsonObject { ["label"] = "Colour" });

        var full = FullContact(list, field);
        var created = await api.PostAsync("/v3/contacts", full);
        var id = created.Object["contact_id"]!.GetValue<string>();
        await api.CreateContactAsync("second@example.com");
        await api.PostAsync("/v3/contacts", full);
        await api.PostRawAsync("/v3/contacts", full.ToJsonString(), "text/plain");
        await api.PostRawAsync("/v3/contacts", "{");
        await api.GetAsync("/v3/contacts?include=custom_fields,list_memberships,phone_numbers,street_addresses,taggings,notes,sms_channel&include_count=true&limit=1");
        var page = await api.GetAsync("/v3/contacts?limit=1&status=all");
        await api.GetAsync(page.Object["_links"]!["next"]!["href"]!.GetValue<string>());
        await api.GetAsync("/v3/contacts?limit=900");
        await api.GetAsync($"/v3/contacts/{id}?include=custom_fields,list_memberships,phone_numbers,street_addresses,taggings,notes,sms_channel");
        await api.GetAsync($"/v3/contacts/{Guid.NewGuid()}");
        full.Remove("create_source");
        full["update_source"] = "Contact";
        await api.PutAsync($"/v3/contacts/{id}", full);
        await api.PutAsync($"/v3/contacts/{id}", new JsonObject { ["update_source"] = "Account", ["email_address"] = new JsonObject { ["address"] = "second@example.com" } });
        await api.PutAsync($"/v3/contacts/{id}", new JsonObject { ["first_name"] = "x" });
        await api.PutAsync($"/v3/contacts/{Guid.NewGuid()}", new JsonObject { ["update_source"] = "Account", ["first_name"] = "x" });

        await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject { ["email_address"] = "signup@example.com", ["list_memberships"] = Bodies.Array(list) });
        await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject
        {
            ["email_address"] = "signup@example.com",
            ["list_memberships"] = Bodies.Array(other),
            ["phone_number"] = "555-0199",
            ["street_address"] = new JsonObject { ["kind"] = "home", ["city"] = "Waltham" },
            ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = field, ["value"] = "teal" }),
        });
        await api.PostAsync("/v3/contacts/sign_up_form", new JsonObject { ["email_address"] = "signup@example.com" });

        var tag = (await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "Contract", ["tag_source"] = "ETL" })).Object["tag_id"]!.GetValue<string>();
        await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "Second" });
        await api.PostAsync("/v3/contact_tags", new JsonObject { ["name"] = "contract" });
        await api.PostAsync("/v3/contact_tags", new JsonObject());
        await api.GetAsync("/v3/contact_tags?limit=1&include_count=true");
        await api.GetAsync("/v3/contact_tags?limit=0");
        await api.GetAsync($"/v3/contact_tags/{tag}?include_count=true");
        await api.GetAsync($"/v3/contact_tags/{Guid.NewGuid()}");
        await api.PutAsync($"/v3/contact_tags/{tag}", new JsonObject { ["name"] = "Contract 2" });
        await api.PutAsync($"/v3/contact_tags/{Guid.NewGuid()}", new JsonObject { ["name"] = "x" });

        await api.GetAsync("/v3/segments?limit=1");
        await api.GetAsync("/v3/segments?sort_by=name");
        await api.GetAsync("/v3/segments/1");
        await api.GetAsync("/v3/segments/99");
        await api.GetAsync("/v3/contacts?segment_id=1&limit=1");
        await api.GetAsync("/v3/contacts?segment_id=1&limit=1");
        await api.GetAsync("/v3/contacts?segment_id=1&status=all");
        await api.GetAsync("/v3/contacts?segment_id=99");

        var someone = new JsonObject { ["contact_ids"] = Bodies.Array(id) };
        await api.PostAsync("/v3/activities/add_list_memberships", new JsonObject { ["source"] = someone.DeepClone(), ["list_ids"] = Bodies.Array(other) });
        await api.PostAsync("/v3/activities/add_list_memberships", new JsonObject { ["source"] = someone.DeepClone(), ["list_ids"] = Bodies.Array(Guid.NewGuid().ToString()) });
        await api.PostAsync("/v3/activities/remove_list_memberships", new JsonObject { ["source"] = new JsonObject { ["list_ids"] = Bodies.Array(list) }, ["list_ids"] = Bodies.Array(other) });
        await api.PostAsync("/v3/activities/remove_list_memberships", new JsonObject { ["source"] = new JsonObject(), ["list_ids"] = Bodies.Array(other) });
        await api.PostAsync("/v3/activities/contacts_taggings_add", new JsonObject { ["source"] = someone.DeepClone(), ["tag_ids"] = Bodies.Array(tag) });
        await api.PostAsync("/v3/activities/contacts_taggings_add", new JsonObject { ["tag_ids"] = Bodies.Array(tag) });
        await api.PostAsync("/v3/activities/contacts_taggings_remove", new JsonObject { ["source"] = new JsonObject { ["all_active_contacts"] = true }, ["tag_ids"] = Bodies.Array(tag) });

        var import = await api.PostAsync("/v3/activities/contacts_json_import", new JsonObject
        {
            ["import_data"] = new JsonArray(new JsonObject { ["email"] = "imp@example.com" }, new JsonObject { ["email"] = "bad" }),
            ["list_ids"] = Bodies.Array(list),
        });
        await api.PostAsync("/v3/activities/contacts_json_import", new JsonObject { ["import_data"] = new JsonArray() });
        var delete = await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["contact_ids"] = Bodies.Array(id, Guid.NewGuid().ToString()) });
        await api.PostAsync("/v3/activities/contact_delete", new JsonObject { ["list_ids"] = Bodies.Array(other) });
        await api.PostAsync("/v3/activities/contact_delete", new JsonObject());
        var importId = import.Object["activity_id"]!.GetValue<string>();
        await api.GetAsync($"/v3/activities/{importId}");
        api.Clock!.Advance(TimeSpan.FromSeconds(1.5));
        await api.GetAsync($"/v3/activities/{importId}");
        await api.GetAsync("/v3/activities?limit=1");
        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await api.GetAsync($"/v3/activities/{importId}");
        await api.GetAsync($"/v3/activities/{delete.Object["activity_id"]}");
        await api.GetAsync("/v3/activities?state=completed");
        await api.GetAsync($"/v3/activities/{Guid.NewGuid()}");
        await api.GetAsync("/v3/activities?state=bogus");

        await api.DeleteAsync($"/v3/contacts/{id}");
        await api.DeleteAsync($"/v3/contacts/{Guid.NewGuid()}");
        await api.GetAsync($"/v3/contacts/{id}?include=list_memberships");
        await api.DeleteAsync($"/v3/contact_lists/{list}");
        await api.DeleteAsync($"/v3/contact_lists/{Guid.NewGuid()}");
        await api.DeleteAsync($"/v3/contact_custom_fields/{field}");
        await api.DeleteAsync($"/v3/contact_custom_fields/{Guid.NewGuid()}");
        var tagDelete = await api.DeleteAsync($"/v3/contact_tags/{tag}");
        await api.DeleteAsync($"/v3/contact_tags/{Guid.NewGuid()}");
        api.Clock.Advance(TimeSpan.FromSeconds(3));
        await api.GetAsync($"/v3/activities/{tagDelete.Object["activity_id"]}");
        await api.DeleteAsync($"/v3/contact_tags/{tag}");
    }

    private static JsonObject FullContact(string list, string field) => new()
    {
        ["email_address"] = new JsonObject { ["address"] = "full@example.com", ["permission_to_send"] = "explicit" },
        ["first_name"] = "Debora",
        ["last_name"] = "Lang",
        ["job_title"] = "Musician",
        ["company_name"] = "Acme Corp.",
        ["create_source"] = "Account",
        ["birthday_month"] = 11,
        ["birthday_day"] = 24,
        ["anniversary"] = "2006-11-15",
        ["custom_fields"] = new JsonArray(new JsonObject { ["custom_field_id"] = field, ["value"] = "Skiing" }),
        ["phone_numbers"] = new JsonArray(new JsonObject { ["phone_number"] = "+1-555-555-5555", ["kind"] = "home" }),
        ["street_addresses"] = new JsonArray(new JsonObject
        {
            ["kind"] = "home",
            ["street"] = "123 Kashmir Valley Road",
            ["city"] = "Chicago",
            ["state"] = "Illinois",
            ["postal_code"] = "60609",
            ["country"] = "United States",
        }),
        ["list_memberships"] = Bodies.Array(list),
        ["taggings"] = Bodies.Array(Guid.NewGuid().ToString()),
        ["notes"] = new JsonArray(new JsonObject { ["content"] = "Met at the fair." }),
        ["sms_channel"] = new JsonObject
        {
            ["full_sms_address"] = "17815551212",
            ["sms_channel_consents"] = new JsonArray(new JsonObject
            {
                ["sms_consent_permission"] = "explicit",
                ["consent_type"] = "promotional_sms",
            }),
        },
    };
}
