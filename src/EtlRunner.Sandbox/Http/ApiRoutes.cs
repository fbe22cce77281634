namespace EtlRunner.Sandbox.Http;

/// <summary>A route the sandbox serves, with every query parameter it reads.</summary>
internal sealed record ApiRoute(string Method, string Template, params string[] QueryParameters)
{
    public string Key => $"{Method} {Template}";
}

/// <summary>The /v3 routes, in one place: mapped by the host and checked against the swagger contract by the tests.</summary>
internal static class ApiRoutes
{
    public static readonly ApiRoute GetContacts = new("GET", "/v3/contacts",
        "status", "email", "lists", "segment_id", "tags", "updated_after", "updated_before", "created_after",
        "created_before", "optout_after", "optout_before", "include", "sms_status", "include_count", "limit", "cursor");

    public static readonly ApiRoute PostContact = new("POST", "/v3/contacts");
    public static readonly ApiRoute GetContact = new("GET", "/v3/contacts/{contact_id}", "include");
    public static readonly ApiRoute PutContact = new("PUT", "/v3/contacts/{contact_id}");
    public static readonly ApiRoute DeleteContact = new("DELETE", "/v3/contacts/{contact_id}");
    public static readonly ApiRoute SignUpForm = new("POST", "/v3/contacts/sign_up_form");

    public static readonly ApiRoute GetLists = new("GET", "/v3/contact_lists",
        "limit", "include_count", "include_membership_count", "name", "status", "channel_type",
        "include_sms_membership_count", "cursor");

    public static readonly ApiRoute PostList = new("POST", "/v3/contact_lists");
    public static readonly ApiRoute GetList = new("GET", "/v3/contact_lists/{list_id}", "include_membership_count");
    public static readonly ApiRoute PutList = new("PUT", "/v3/contact_lists/{list_id}");
    public static readonly ApiRoute DeleteList = new("DELETE", "/v3/contact_lists/{list_id}");

    public static readonly ApiRoute GetFields = new("GET", "/v3/contact_custom_fields", "limit", "cursor");
    public static readonly ApiRoute PostField = new("POST", "/v3/contact_custom_fields");
    public static readonly ApiRoute GetField = new("GET", "/v3/contact_custom_fields/{custom_field_id}");
    public static readonly ApiRoute PutField = new("PUT", "/v3/contact_custom_fields/{custom_field_id}");
    public static readonly ApiRoute DeleteField = new("DELETE", "/v3/contact_custom_fields/{custom_field_id}");

    public static readonly ApiRoute GetTags = new("GET", "/v3/contact_tags", "limit", "include_count", "cursor");
    public static readonly ApiRoute PostTag = new("POST", "/v3/contact_tags");
    public static readonly ApiRoute GetTag = new("GET", "/v3/contact_tags/{tag_id}", "include_count");
    public static readonly ApiRoute PutTag = new("PUT", "/v3/contact_tags/{tag_id}");
    public static readonly ApiRoute DeleteTag = new("DELETE", "/v3/contact_tags/{tag_id}");

    public static readonly ApiRoute GetSegments = new("GET", "/v3/segments", "limit", "sort_by", "cursor");
    public static readonly ApiRoute GetSegment = new("GET", "/v3/segments/{segment_id}");

    public static readonly ApiRoute GetActivities = new("GET", "/v3/activities", "limit", "state", "cursor");
    public static readonly ApiRoute GetActivity = new("GET", "/v3/activities/{activity_id}");
    public static readonly ApiRoute JsonImport = new("POST", "/v3/activities/contacts_json_import");
    public static readonly ApiRoute ContactDelete = new("POST", "/v3/activities/contact_delete");
    public static readonly ApiRoute AddListMemberships = new("POST", "/v3/activities/add_list_memberships");
    public static readonly ApiRoute RemoveListMemberships = new("POST", "/v3/activities/remove_list_memberships");
    public static readonly ApiRoute AddTaggings = new("POST", "/v3/activities/contacts_taggings_add");
    public static readonly ApiRoute RemoveTaggings = new("POST", "/v3/activities/contacts_taggings_remove");

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        GetContacts, PostContact, GetContact, PutContact, DeleteContact, SignUpForm,
        GetLists, PostList, GetList, PutList, DeleteList,
        GetFields, PostField, GetField, PutField, DeleteField,
        GetTags, PostTag, GetTag, PutTag, DeleteTag,
        GetSegments, GetSegment,
        GetActivities, GetActivity, JsonImport, ContactDelete,
        AddListMemberships, RemoveListMemberships, AddTaggings, RemoveTaggings,
    ];
}
