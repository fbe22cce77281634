using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using EtlRunner.Sandbox.Segments;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.Contacts;

/// <summary>GET/POST /contacts and GET/PUT/DELETE /contacts/{contact_id}.</summary>
internal sealed class ContactsEndpoints(SandboxState state, SegmentCatalog segments)
{
    public void Map(ApiRouteMap map)
    {
        map.Add(ApiRoutes.GetContacts, List);
        map.Add(ApiRoutes.GetContact, Get);
        map.Add(ApiRoutes.PostContact, CreateAsync);
        map.Add(ApiRoutes.PutContact, ReplaceAsync);
        map.Add(ApiRoutes.DeleteContact, Delete);
    }

    /// <summary>Parses the {contact_id} route value; a malformed id answers 404 like the real API.</summary>
    public static bool TryRouteId(HttpContext context, out Guid id, out ApiResponse? error) =>
        Ids.TryRoute(context, "contact_id", out id, out error);

    private static ApiResponse ContactNotFound(Guid id) => ApiResponse.NotFound($"Contact {id} was not found.");

    private ApiResponse List(HttpContext context)
    {
        var (q, after, error) = Paging.Read(ApiRoutes.GetContacts, context);
        if (error is not null)
        {
            return error;
        }

        var filter = ContactFilter.Parse(q);
        var include = ContactIncludes.From(q.Csv("include", ContactIncludes.Allowed));
        var includeCount = q.Bool("include_count");
        var limit = q.Int("limit", 1, 500, 50);
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        Segment? segment = null;
        if (filter.SegmentId is { } segmentId)
        {
            if (q.Raw.Keys.Where(k => k is not ("segment_id" or "limit")).Order(StringComparer.Ordinal).ToList() is [_, ..] others)
            {
                return ApiResponse.Validation($"segment_id can only be combined with limit; remove {string.Join(", ", others)}.");
            }

            segment = segments.Find(segmentId);
            if (segment is null)
            {
                return ApiResponse.NotFound($"Segment {segmentId} was not found.");
            }

            if (segments.StartProcessing(segment))
            {
                return ApiResponse.Json(StatusCodes.Status202Accepted, new JsonObject { ["contacts"] = new JsonArray(), ["status"] = "processing" });
            }
        }

        return state.Read(() =>
        {
            IEnumerable<ContactRecord> source = filter.Email is { } email
                ? state.ContactByEmail(email) is { } c ? [c] : []
                : state.Contacts;
            var matching = source.Where(c => filter.Matches(c) && (segment is null || segment.Contains(c)));
            var (items, next) = Paging.Take(matching, c => c.Sequence, after, limit);
            var body = new JsonObject { ["contacts"] = items.ToJsonArray(c => ContactRenderer.Render(c, include)) };
            if (includeCount)
            {
                body["contacts_count"] = matching.Count();
            }

            if (next is { } n)
            {
                body["_links"] = JsonBuilder.NextLinks(Paging.NextHref("/v3/contacts", q.Raw, n));
            }

            return ApiResponse.Ok(body);
        });
    }

    private ApiResponse Get(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var error))
        {
            return error!;
        }

        var q = new QueryReader(ApiRoutes.GetContact, context.Request.Query.ToDictionary(k => k.Key, k => k.Value.ToString()));
        var include = ContactIncludes.From(q.Csv("include", ContactIncludes.Allowed));
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() => state.Contact(id) is { } c
            ? ApiResponse.Ok(ContactRenderer.Render(c, include))
            : ContactNotFound(id));
    }

    private async Task<ApiResponse> CreateAsync(HttpContext context)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var input = ContactInputParser.Parse(body!, isPut: false, errors);
        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            ContactReferences.Check(state, input.Lists, input.CustomFields, errors);
            if (errors.Count > 0)
            {
                return ApiResponse.Validation(errors);
            }

            if (input.EmailAddress is { } address && state.ContactByEmail(address) is { } existing)
            {
                return EmailConflict(existing);
            }

            var contact = ContactWriter.Create(state, input, state.Now);
            return ApiResponse.Json(StatusCodes.Status201Created, ContactRenderer.Render(contact, ContactIncludes.SentIn(input)));
        });
    }

    private async Task<ApiResponse> ReplaceAsync(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var idError))
        {
            return idError!;
        }

        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<string>();
        var input = ContactInputParser.Parse(body!, isPut: true, errors);
        if (errors.Count > 0)
        {
            return ApiResponse.Validation(errors);
        }

        return state.Write(() =>
        {
            if (state.Contact(id) is not { } contact)
            {
                return ContactNotFound(id);
            }

            ContactReferences.Check(state, input.Lists, input.CustomFields, errors);
            if (!input.HasIdentity && contact.Sms is null)
            {
                errors.Add("At least one of first_name, last_name, email_address or sms_channel is required.");
            }

            if (errors.Count > 0)
            {
                return ApiResponse.Validation(errors);
            }

            if (input.EmailAddress is { } address && state.ContactByEmail(address) is { } other && other != contact)
            {
                return EmailConflict(other);
            }

            ContactWriter.Replace(state, contact, input, state.Now);
            return ApiResponse.Ok(ContactRenderer.Render(contact, ContactIncludes.SentIn(input)));
        });
    }

    private ApiResponse Delete(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var error))
        {
            return error!;
        }

        return state.Write(() =>
        {
            if (state.Contact(id) is not { } contact)
            {
                return ContactNotFound(id);
            }

            ContactWriter.Delete(state, contact, state.Now);
            return ApiResponse.NoContent;
        });
    }

    private static ApiResponse EmailConflict(ContactRecord existing) =>
        ApiResponse.Conflict($"Validation failed: Email already exists for contact {Ids.Format(existing.Id)}");
}
