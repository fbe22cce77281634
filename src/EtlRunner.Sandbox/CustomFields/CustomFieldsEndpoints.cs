using System.Text.Json.Nodes;
using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;
using Microsoft.AspNetCore.Http;

namespace EtlRunner.Sandbox.CustomFields;

/// <summary>GET/POST /contact_custom_fields and GET/PUT/DELETE /contact_custom_fields/{custom_field_id}.</summary>
internal sealed class CustomFieldsEndpoints(SandboxState state)
{
    public const int MaxFields = 100;

    public void Map(ApiRouteMap map)
    {
        map.Add(ApiRoutes.GetFields, List);
        map.Add(ApiRoutes.GetField, Get);
        map.Add(ApiRoutes.PostField, CreateAsync);
        map.Add(ApiRoutes.PutField, ReplaceAsync);
        map.Add(ApiRoutes.DeleteField, Delete);
    }

    private ApiResponse List(HttpContext context)
    {
        var (q, after, error) = Paging.Read(ApiRoutes.GetFields, context);
        if (error is not null)
        {
            return error;
        }

        var limit = q.Int("limit", 1, 100, 50);
        if (q.Errors.Count > 0)
        {
            return ApiResponse.Validation(q.Errors);
        }

        return state.Read(() =>
        {
            var (items, next) = Paging.Take(state.Fields, f => f.Sequence, after, limit);
            var body = new JsonObject { ["custom_fields"] = items.ToJsonArray(CustomFieldRenderer.Render) };
            if (next is { } n)
            {
                body["_links"] = JsonBuilder.NextLinks(Paging.NextHref("/v3/contact_custom_fields", q.Raw, n));
            }

            return ApiResponse.Ok(body);
        });
    }

    private ApiResponse Get(HttpContext context) => !TryRouteId(context, out var id, out var error)
        ? error!
        : state.Read(() => state.Field(id) is { } f ? ApiResponse.Ok(CustomFieldRenderer.Render(f)) : NotFound(id));

    private async Task<ApiResponse> CreateAsync(HttpContext context)
    {
        var (input, error) = await ReadInputAsync(context, isPut: false);
        if (error is not null)
        {
            return error;
        }

        return state.Write(() =>
        {
            if (NameTaken(input!.Label, null) is { } conflict)
            {
                return conflict;
            }

            if (state.Fields.Count() >= MaxFields)
            {
                return ApiResponse.Validation($"An account can have at most {MaxFields} custom fields.");
            }

            var now = state.Now;
            var field = new CustomFieldRecord { Id = Guid.NewGuid(), CreatedAt = now, UpdatedAt = now };
            input.ApplyTo(field);
            state.AddField(field);
            return ApiResponse.Json(StatusCodes.Status201Created, CustomFieldRenderer.Render(field));
        });
    }

    private async Task<ApiResponse> ReplaceAsync(HttpContext context)
    {
        if (!TryRouteId(context, out var id, out var idError))
        {
            return idError!;
        }

        var (input, error) = await ReadInputAsync(context, isPut: true);
        if (error is not null)
        {
            return error;
        }

        return state.Write(() =>
        {
            if (state.Field(id) is not { } field)
            {
                return NotFound(id);
            }

            if (NameTaken(input!.Label, id) is { } conflict)
            {
                return conflict;
            }

            input.ApplyTo(field);
            field.UpdatedAt = state.Now;
            state.MarkDirty(field);
            return ApiResponse.Ok(CustomFieldRenderer.Render(field));
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
            if (state.Field(id) is null)
            {
                return NotFound(id);
            }

            state.RemoveField(id);
            foreach (var contact in state.Contacts.Where(c => c.CustomFields.Any(f => f.CustomFieldId == id)))
            {
                contact.CustomFields.RemoveAll(f => f.CustomFieldId == id);
                state.MarkDirty(contact);
            }

            return ApiResponse.NoContent;
        });
    }

    private static async Task<(CustomFieldInput? Input, ApiResponse? Error)> ReadInputAsync(HttpContext context, bool isPut)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(context);
        if (error is not null)
        {
            return (null, error);
        }

        var errors = new List<string>();
        var input = CustomFieldInput.Parse(new FieldReader(body!, "", errors), isPut);
        return errors.Count > 0 ? (null, ApiResponse.Validation(errors)) : (input, null);
    }

    private ApiResponse? NameTaken(string label, Guid? self)
    {
        var name = CustomFieldRecord.NameFor(label);
        return state.Fields.FirstOrDefault(f => f.Id != self && f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } other
            ? ApiResponse.Conflict($"A custom field named '{name}' already exists (custom_field_id {Ids.Format(other.Id)}).")
            : null;
    }

    private static bool TryRouteId(HttpContext context, out Guid id, out ApiResponse? error) =>
        Ids.TryRoute(context, "custom_field_id", out id, out error);

    private static ApiResponse NotFound(Guid id) => ApiResponse.NotFound($"Custom field {id} was not found.");
}
