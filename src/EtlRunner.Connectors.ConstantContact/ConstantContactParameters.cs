using EtlRunner.Connectors.ConstantContact.Sinks;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>The names, defaults and <see cref="ParameterSpec"/>s of the <c>constantcontact</c> connection and activities.</summary>
internal static class ConstantContactParameters
{
    public const string ApiKey = "api_key";
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ClientSecret = "client_secret";
    public const string BaseUrl = "base_url";
    public const string TokenUrl = "token_url";
    public const string RequestsPerSecond = "requests_per_second";
    public const string DailyRequestLimit = "daily_request_limit";
    public const string TimeoutSeconds = "timeout_seconds";
    public const string MaxRetries = "max_retries";
    public const string MaxResponseBytes = "max_response_bytes";

    public const string Status = "status";
    public const string Email = "email";
    public const string Lists = "lists";
    public const string Tags = "tags";
    public const string UpdatedAfter = "updated_after";
    public const string UpdatedBefore = "updated_before";
    public const string CreatedAfter = "created_after";
    public const string CreatedBefore = "created_before";
    public const string OptoutAfter = "optout_after";
    public const string OptoutBefore = "optout_before";
    public const string SmsStatus = "sms_status";
    public const string SegmentId = "segment_id";
    public const string SegmentTimeout = "segment_timeout";
    public const string Resource = "resource";
    public const string Include = "include";
    public const string Limit = "limit";
    public const string MaxRecords = "max_records";

    public const string Mode = "mode";
    public const string CreateSource = "create_source";
    public const string UpdateSource = "update_source";
    public const string OnConflict = "on_conflict";
    public const string ListIds = "list_ids";
    public const string MaxDeletes = "max_deletes";
    public const string ActivityTimeout = "activity_timeout";
    public const string CreateMissing = "create_missing";

    public const string DefaultBaseUrl = "https://api.cc.email/v3";
    public const string DefaultTokenUrl = "https://authz.constantcontact.com/oauth2/default/v1/token";
    public const double DefaultRequestsPerSecond = 4;
    public const long DefaultDailyRequestLimit = 10_000;
    public const long DefaultTimeoutSeconds = 30;
    public const int DefaultMaxRetries = 5;
    public const long DefaultMaxResponseBytes = 16L << 20;
    public const int MaxPageSize = 500;
    public const string DefaultActivityTimeout = "30m";
    public const string DefaultSegmentTimeout = "10m";
    public const string DefaultSource = "Account";

    public static readonly IReadOnlyList<string> StatusValues = ["all", "active", "deleted", "not_set", "pending_confirmation", "temp_hold", "unsubscribed"];
    public static readonly IReadOnlyList<string> IncludeValues = ["custom_fields", "list_memberships", "phone_numbers", "street_addresses", "taggings", "notes", "sms_channel"];
    public static readonly IReadOnlyList<string> SmsStatusValues = ["all", "explicit", "unsubscribed", "pending_confirmation", "not_set"];
    public static readonly IReadOnlyList<string> ResourceValues = ["contacts", "lists", "tags", "custom_fields"];
    public static readonly IReadOnlyList<string> SourceValues = [DefaultSource, "Contact"];
    public static readonly IReadOnlyList<string> ModeValues = NamesOf<SendMode>();
    public static readonly IReadOnlyList<string> OnConflictValues = NamesOf<OnConflict>();

    public static IReadOnlyList<ParameterSpec> Connection { get; } =
    [
        new(ApiKey, ParameterType.String, "The OAuth2 client id (Constant Contact calls it the API key). Not sent on contacts calls; used to refresh the access token.") { Required = true, Secret = true },
        new(AccessToken, ParameterType.String, "The OAuth2 access token (Bearer), with scope contact_data.") { Required = true, Secret = true },
        new(RefreshToken, ParameterType.String, "The OAuth2 refresh token (scope offline_access). With client_secret, EtlRunner refreshes a rejected access token once and keeps the rotated refresh token in the connection state; empty means not set.") { Secret = true },
        new(ClientSecret, ParameterType.String, "The OAuth2 client secret, needed to refresh the access token; empty means not set.") { Secret = true },
        new(BaseUrl, ParameterType.String, "The API root.") { Default = DefaultBaseUrl },
        new(TokenUrl, ParameterType.String, "The OAuth2 token endpoint used to refresh the access token.") { Default = DefaultTokenUrl },
        new(RequestsPerSecond, ParameterType.Number, "At most this many requests in any one-second window, for every operation of the run together (Constant Contact allows 4).") { Default = DefaultRequestsPerSecond },
        new(DailyRequestLimit, ParameterType.Integer, "Stop before sending more than this many requests in a UTC day (Constant Contact allows 10,000 per API key); counted across runs of the day.") { Default = DefaultDailyRequestLimit, Minimum = 1 },
        new(TimeoutSeconds, ParameterType.Integer, "Seconds to wait for each answer before the request counts as failed (and is retried when that is safe).") { Default = DefaultTimeoutSeconds, Minimum = 1, Maximum = 600 },
        new(MaxRetries, ParameterType.Integer, "Retries of a request that was throttled (429), failed with 5xx, timed out or lost its connection, with exponential backoff and jitter.") { Default = (long)DefaultMaxRetries, Minimum = 0, Maximum = 20 },
        new(MaxResponseBytes, ParameterType.Integer, "The largest answer read from the API, in bytes after decompression (a page of 500 contacts with every sub-resource is well under 2 MB): a larger one fails the request instead of filling memory.") { Default = DefaultMaxResponseBytes, Minimum = 65_536, Maximum = 1L << 30 },
    ];

    public static ActivitySpec Query { get; } = new(
        ActivityKind.Query,
        "Reads contacts (GET /contacts), page after page. Each record has the fields of the API's contact resource (email_address is an object: record.email_address.address). resource: lists, tags or custom_fields reads the account's lists (with membership_count), tags or custom fields instead, each record shaped like the API's resource.",
        [
            new(Resource, ParameterType.String, "What to read: contacts, or the account's lists (GET /contact_lists with membership counts), tags (GET /contact_tags) or custom_fields (GET /contact_custom_fields). The contact filters apply to contacts only.") { Default = "contacts", AllowedValues = ResourceValues },
            new(Status, ParameterType.StringList, "Contact statuses to read: " + string.Join(", ", StatusValues) + ". Default: every contact that is not deleted."),
            new(Email, ParameterType.String, "Only the contact with exactly this email address."),
            new(Lists, ParameterType.StringList, "Only members of these list ids (up to 25)."),
            new(Tags, ParameterType.StringList, "Only contacts with these tag ids (up to 50)."),
            new(UpdatedAfter, ParameterType.String, "Only contacts updated after this ISO-8601 date-time."),
            new(UpdatedBefore, ParameterType.String, "Only contacts updated before this ISO-8601 date-time."),
            new(CreatedAfter, ParameterType.String, "Only contacts created after this ISO-8601 date-time."),
            new(CreatedBefore, ParameterType.String, "Only contacts created before this ISO-8601 date-time."),
            new(OptoutAfter, ParameterType.String, "Only contacts who unsubscribed after this ISO-8601 date-time (the natural filter of an unsubscribe sync, with status: unsubscribed)."),
            new(OptoutBefore, ParameterType.String, "Only contacts who unsubscribed before this ISO-8601 date-time."),
            new(SmsStatus, ParameterType.StringList, "Only contacts whose SMS permission is one of: " + string.Join(", ", SmsStatusValues) + "."),
            new(SegmentId, ParameterType.String, "Only the contacts of this segment. The API allows no other filter beside it but limit; while it works out the segment it answers 202, and the query asks again, less and less often, within segment_timeout."),
            new(SegmentTimeout, ParameterType.Duration, "How long a segment_id query waits for Constant Contact to work out the segment before it fails.") { Default = DefaultSegmentTimeout },
            new(Include, ParameterType.StringList, "Sub-resources to read with each contact: " + string.Join(", ", IncludeValues) + "."),
            new(Limit, ParameterType.Integer, "Contacts per page (requests are the fewer, the larger it is).") { Default = (long)MaxPageSize, Minimum = 1, Maximum = MaxPageSize },
            new(MaxRecords, ParameterType.Integer, "Stop after this many contacts.") { Minimum = 1 },
        ]);

    public static ActivitySpec Create { get; } = new(
        ActivityKind.Create,
        "Creates one contact per record (POST /contacts), or imports them in bulk (mode: bulk, POST /activities/contacts_json_import, which also updates contacts whose email exists). Records use the API's field names: email_address (an object or a plain address), first_name, last_name, job_title, company_name, birthday_month, birthday_day, anniversary, custom_fields, phone_numbers, street_addresses, list_memberships, taggings, notes, sms_channel. list_memberships and taggings may name lists and tags (case-insensitive) beside ids, and custom_fields may be a map of a custom field's label (or name) to its value: { \"Signup source\": \"web\" }; the account's lists, tags and custom fields are read once per run for that.",
        [
            ModeSpec(),
            new(CreateSource, ParameterType.String, "Who adds the contacts, for consent records: Account (you) or Contact (the person). Also the update_source of on_conflict: update.") { Default = DefaultSource, AllowedValues = SourceValues },
            new(OnConflict, ParameterType.String, "When the email already exists (409): fail (reject the record), skip, or update that contact with the record's fields. Single mode only; a bulk import always updates.") { Default = NameOf(Sinks.OnConflict.Fail), AllowedValues = OnConflictValues },
            ListIdsSpec(),
            ActivityTimeoutSpec(),
            CreateMissingSpec("list, tag or custom field"),
        ]);

    public static ActivitySpec Update { get; } = new(
        ActivityKind.Update,
        "Updates contacts found by contact_id, else by email address: only the record's fields change (the contact is read, merged and written back with PUT /contacts/{id}); an unchanged contact is skipped. A null field leaves the contact's value as it is; list_memberships, taggings and custom_fields replace the contact's own (use add_to_lists, remove_from_lists, add_tags and remove_tags to change one membership) and take names as for create. mode: bulk imports the records instead (matched by email).",
        [
            ModeSpec(),
            new(UpdateSource, ParameterType.String, "Who changes the contacts: Account or Contact.") { Default = DefaultSource, AllowedValues = SourceValues },
            ListIdsSpec(),
            ActivityTimeoutSpec(),
            CreateMissingSpec("list, tag or custom field"),
        ]);

    public static ActivitySpec Delete { get; } = new(
        ActivityKind.Delete,
        "Deletes contacts found by contact_id, else by email address (DELETE /contacts/{id}, or POST /activities/contact_delete in bulk). Constant Contact keeps deleted contacts (status deleted, lists removed): a later create with the same email conflicts, an update revives them.",
        [
            ModeSpec(),
            new(MaxDeletes, ParameterType.Integer, "Stop the operation before it deletes more than this many contacts (a guard against a wrong filter). Default: no limit.") { Minimum = 0 },
            ActivityTimeoutSpec(),
        ]);

    public static ActivitySpec AddToLists { get; } = Membership(
        "add_to_lists",
        "Adds contacts to lists (POST /activities/add_list_memberships, up to 500 contacts per request, polled to its end); their other memberships stay. Each record names a contact by contact_id, else by email (looked up exactly); a record's lists field adds lists for that record.",
        ListsSpec("The lists to add every contact to, by name (case-insensitive) or id."),
        CreateMissingSpec("list"));

    public static ActivitySpec RemoveFromLists { get; } = Membership(
        "remove_from_lists",
        "Removes contacts from lists (POST /activities/remove_list_memberships, up to 500 contacts per request, polled to its end); their other memberships stay and the contacts remain in the account. Records name contacts and lists as for add_to_lists.",
        ListsSpec("The lists to remove every contact from, by name (case-insensitive) or id."));

    public static ActivitySpec AddTags { get; } = Membership(
        "add_tags",
        "Tags contacts (POST /activities/contacts_taggings_add, up to 500 contacts per request, polled to its end); their other tags stay. Each record names a contact by contact_id, else by email (looked up exactly); a record's tags field adds tags for that record.",
        TagsSpec("The tags to add to every contact, by name (case-insensitive) or id."),
        CreateMissingSpec("tag"));

    public static ActivitySpec RemoveTags { get; } = Membership(
        "remove_tags",
        "Untags contacts (POST /activities/contacts_taggings_remove, up to 500 contacts per request, polled to its end); their other tags stay. Records name contacts and tags as for add_tags.",
        TagsSpec("The tags to remove from every contact, by name (case-insensitive) or id."));

    public static ActivitySpec Unsubscribe { get; } = new(
        ActivityKind.Target("unsubscribe"),
        "Unsubscribes contacts from email: each record names a contact by contact_id, else by email (looked up exactly); it is read once and written once (PUT /contacts/{id}) with email_address.permission_to_send: unsubscribed and the record's opt_out_reason field if it has one, everything else kept, list memberships included. A contact already unsubscribed is skipped. Unlike delete, the contact stays in the account and a later import, create or sign-up form does not make it mailable again.",
        [new(UpdateSource, ParameterType.String, "Who unsubscribes the contacts (Constant Contact's opt_out_source): Account (you, e.g. a suppression list) or Contact (the person asked).") { Default = DefaultSource, AllowedValues = SourceValues }]);

    public static ConnectorDescriptor Descriptor { get; } = new(
        "constantcontact",
        "Constant Contact contacts through the V3 REST API (OAuth2 bearer token), paced to the API's rate limits.",
        Connection,
        [Query, Create, Update, Delete, AddToLists, RemoveFromLists, AddTags, RemoveTags, Unsubscribe])
    {
        Sandbox = new(new Dictionary<string, SandboxValue>
        {
            [BaseUrl] = SandboxValue.BaseUrl,
            [TokenUrl] = SandboxValue.TokenUrl,
            [ApiKey] = SandboxValue.ClientId,
            [ClientSecret] = SandboxValue.ClientSecret,
            [AccessToken] = SandboxValue.AccessToken,
            [RefreshToken] = SandboxValue.RefreshToken,
        }),
    };

    private static ActivitySpec Membership(string name, string description, params ParameterSpec[] parameters) =>
        new(ActivityKind.Target(name), description, [.. parameters, ActivityTimeoutSpec()]);

    private static ParameterSpec ListsSpec(string description) => new(Lists, ParameterType.StringList, description + " A record's lists field (a list, or comma-separated text) adds more for that record; with neither, the record is rejected.");

    private static ParameterSpec TagsSpec(string description) => new(Tags, ParameterType.StringList, description + " A record's tags field (a list, or comma-separated text) adds more for that record; with neither, the record is rejected.");

    private static ParameterSpec CreateMissingSpec(string noun) =>
        new(CreateMissing, ParameterType.Boolean, $"Create a {noun} the account does not have yet (once, before the first record that names it). Without it, a record naming an unknown {noun} is rejected with the {noun}s there are.") { Default = false };

    private static ParameterSpec ModeSpec() =>
        new(Mode, ParameterType.String, "single: one request per record. bulk: Constant Contact's bulk activities (up to 40,000 contacts per import, 500 per delete), far fewer requests for large loads.") { Default = NameOf(SendMode.Single), AllowedValues = ModeValues };

    private static ParameterSpec ActivityTimeoutSpec() =>
        new(ActivityTimeout, ParameterType.Duration, "Bulk mode (and the list and tag activities): how long to wait for a bulk activity to finish. At the deadline the operation fails with the activity's id and last state, and its records are rejected with that reason (the activity may still finish later in Constant Contact).") { Default = DefaultActivityTimeout };

    private static ParameterSpec ListIdsSpec() =>
        new(ListIds, ParameterType.StringList, "Bulk mode: the lists (1 to 50, by id or name) every imported contact is added to. Required with mode: bulk.");

    /// <summary>The name a pipeline file uses for an option's value: <c>SendMode.Bulk</c> is <c>bulk</c>.</summary>
    public static string NameOf<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string[] NamesOf<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(NameOf)];
}
