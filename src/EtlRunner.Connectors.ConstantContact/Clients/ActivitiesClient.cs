using System.Text;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact.Clients;

/// <summary>
/// Bulk activities (https://developer.constantcontact.com/api_guide/activities_overview.html). Sending one twice is
/// harmless (an import is an upsert, a delete of deleted contacts changes nothing, adding a membership held or removing one not held neither), so they are retried like GETs.
/// </summary>
internal sealed class ActivitiesClient(ApiConnection connection)
{
    /// <summary>POST /activities/contacts_json_import — imports (creates or updates by email) up to 40,000 contacts (201).</summary>
    public Task<ActivityStatus> ImportContactsAsync(ContactsJsonImport import, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(
            ApiRequest.Post(ApiUrls.ContactsJsonImport(), "POST /activities/contacts_json_import", import.ToUtf8Json(), isIdempotent: true),
            r => r.Deserialize(ApiJson.Default.ActivityStatus),
            options,
            cancellationToken);

    /// <summary>POST /activities/contact_delete — deletes up to 500 contacts by id (201).</summary>
    public Task<ActivityStatus> DeleteContactsAsync(ContactDeleteRequest request, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(
            ApiRequest.Post(ApiUrls.ContactDelete(), "POST /activities/contact_delete", Encoding.UTF8.GetBytes(request.ToJson()), isIdempotent: true),
            r => r.Deserialize(ApiJson.Default.ActivityStatus),
            options,
            cancellationToken);

    /// <summary>
    /// POST /activities/add_list_memberships, remove_list_memberships, contacts_taggings_add or contacts_taggings_remove
    /// — adds or removes up to 50 lists or tags for up to 500 contacts by id (201); other memberships are untouched.
    /// </summary>
    public Task<ActivityStatus> ChangeMembershipsAsync(MembershipRequest request, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(
            ApiRequest.Post(ApiUrls.Memberships(request.Change), "POST /activities/" + request.Change.Endpoint(), Encoding.UTF8.GetBytes(request.ToJson()), isIdempotent: true),
            r => r.Deserialize(ApiJson.Default.ActivityStatus),
            options,
            cancellationToken);

    /// <summary>GET /activities/{activity_id} — the activity's state, progress and errors.</summary>
    public Task<ActivityStatus> GetAsync(string activityId, RequestOptions options, CancellationToken cancellationToken) =>
        connection.SendAsync(ApiRequest.Get(ApiUrls.Activity(activityId), "GET /activities/{activity_id}"), r => r.Deserialize(ApiJson.Default.ActivityStatus), options, cancellationToken);
}
