using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Exceptions;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Sinks;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The <c>constantcontact</c> connector: contacts through Constant Contact's V3 REST API. One client per connection
/// per run paces every operation together to <c>requests_per_second</c>, counts the day's requests, retries
/// throttling and server faults, and refreshes a rejected access token once.
/// </summary>
public sealed class ConstantContactConnector : IConnector
{
    private readonly ConstantContactTuning _tuning;

    public ConstantContactConnector()
        : this(ConstantContactTuning.Default)
    {
    }

    internal ConstantContactConnector(ConstantContactTuning tuning)
    {
        _tuning = tuning;
    }

    public ConnectorDescriptor Descriptor => ConstantContactParameters.Descriptor;

    public IEnumerable<SettingProblem> Validate(ActivityKind kind, Settings connection, Settings activity) =>
        ConstantContactValidation.Validate(kind, connection, activity);

    /// <summary>The account: the API's base URL and a hash of the API key (never the key).</summary>
    public string? WriteResource(ActivityKind kind, Settings connection, Settings activity) => Resource(connection);

    /// <summary>The account, as <see cref="WriteResource"/> names it: every resource a query reads (contacts, lists, tags) is the account's.</summary>
    public string? ReadResource(Settings connection, Settings activity) => Resource(connection);

    private static string Resource(Settings connection) => Account(ConstantContactConnectionOptions.From(connection));

    /// <summary>The account: the API's base URL and a hash of the API key (never the key); the key of its shared request limits.</summary>
    internal static string Account(ConstantContactConnectionOptions options)
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.ApiKey)))[..12];
        return $"Constant Contact account at {options.BaseUrl} (API key sha256 {key}...)";
    }

    public ISource CreateSource(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = context.Activity;
        var resource = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.Resource) ?? "contacts";
        if (resource != "contacts")
        {
            return new NamedResourceSource(Client(context), resource switch { "lists" => NamedKind.List, "tags" => NamedKind.Tag, _ => NamedKind.CustomField });
        }

        var query = new ContactsQuery
        {
            Status = activity.GetStringList(ConstantContactParameters.Status),
            Email = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.Email),
            Lists = activity.GetStringList(ConstantContactParameters.Lists),
            Tags = activity.GetStringList(ConstantContactParameters.Tags),
            // An incremental source without an explicit updated_after continues from its watermark.
            UpdatedAfter = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.UpdatedAfter) ?? NonEmpty(context.Watermark),
            UpdatedBefore = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.UpdatedBefore),
            CreatedAfter = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.CreatedAfter),
            CreatedBefore = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.CreatedBefore),
            OptoutAfter = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.OptoutAfter),
            OptoutBefore = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.OptoutBefore),
            SmsStatus = activity.GetStringList(ConstantContactParameters.SmsStatus),
            SegmentId = ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.SegmentId),
            Include = activity.GetStringList(ConstantContactParameters.Include),
            Limit = Math.Clamp(activity.GetInt32(ConstantContactParameters.Limit, ConstantContactParameters.MaxPageSize), 1, ConstantContactParameters.MaxPageSize),
        };
        var segmentTimeout = activity.GetDuration(ConstantContactParameters.SegmentTimeout) ?? DurationText.Parse(ConstantContactParameters.DefaultSegmentTimeout)!.Value;
        return new ContactQuerySource(Client(context), query, activity.GetInt64(ConstantContactParameters.MaxRecords), context.TimeProvider, segmentTimeout);
    }

    public RecordShape? DescribeRecords(Settings connection, Settings activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return (ConstantContactConnectionOptions.Optional(activity, ConstantContactParameters.Resource) ?? "contacts") == "contacts"
            ? ContactRecordReader.Shape(activity.GetStringList(ConstantContactParameters.Include))
            : null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    public ISink CreateSink(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = Client(context);
        if (context.Preview)
        {
            client.EnterPreview();
        }

        var options = ConstantContactSinkOptions.From(context.Kind, context.Activity);
        var bulk = options.Mode == SendMode.Bulk;
        var waiter = new ActivityWaiter(client.Activities, _tuning, context.TimeProvider, options.ActivityTimeout);
        var directory = new ContactDirectory(client.Contacts, _tuning.IndividualLookupLimit);
        var kind = context.Kind;
        if (kind == ActivityKind.Create)
        {
            return bulk
                ? new ContactImportSink(client, options.ListIds, options.CreateMissing, updateOnly: null, waiter, context.Logger)
                : new ContactCreateSink(client, options);
        }

        if (kind == ActivityKind.Update)
        {
            return bulk ? new ContactImportSink(client, options.ListIds, options.CreateMissing, directory, waiter, context.Logger) : new ContactUpdateSink(client, options.UpdateSource, options.CreateMissing);
        }

        if (kind == ActivityKind.Delete)
        {
            var targets = new DeleteTargets(directory, options.MaxDeletes);
            return bulk ? new ContactBulkDeleteSink(client, targets, waiter, context.Logger) : new ContactDeleteSink(client, targets);
        }

        if (kind == ConstantContactParameters.Unsubscribe.Kind)
        {
            return new ContactUnsubscribeSink(client, options.UpdateSource);
        }

        if (MembershipChangeOf(kind) is { } change)
        {
            var names = context.Activity.GetStringList(change.OfLists() ? ConstantContactParameters.Lists : ConstantContactParameters.Tags);
            return new ContactMembershipSink(client, change, names, context.Activity.GetBoolean(ConstantContactParameters.CreateMissing, false), directory, waiter, context.Logger);
        }

        throw new NotSupportedException($"{kind.ToName()} is not a target activity; {Descriptor.DescribeSupportedActivities()}.");
    }

    private static MembershipChange? MembershipChangeOf(ActivityKind kind) =>
        kind == ConstantContactParameters.AddToLists.Kind ? MembershipChange.AddToLists
        : kind == ConstantContactParameters.RemoveFromLists.Kind ? MembershipChange.RemoveFromLists
        : kind == ConstantContactParameters.AddTags.Kind ? MembershipChange.AddTags
        : kind == ConstantContactParameters.RemoveTags.Kind ? MembershipChange.RemoveTags
        : null;

    public async Task<ConnectionTestResult> TestAsync(ConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ConstantContactClient client;
        try
        {
            client = Client(context);
        }
        catch (InvalidOperationException invalid)
        {
            return ConnectionTestResult.Failed(invalid.Message);
        }

        try
        {
            var page = await client.Contacts.GetPageAsync(new ContactsQuery { Limit = 1, IncludeCount = true }, RequestOptions.NoRetry, cancellationToken).ConfigureAwait(false);
            return ConnectionTestResult.Ok($"authenticated; {page.ContactsCount?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of"} contacts");
        }
        catch (AuthenticationFailedException failed) when (failed.RefreshAttempted)
        {
            return ConnectionTestResult.Failed(failed.Message);
        }
        catch (AuthenticationFailedException)
        {
            return ConnectionTestResult.Failed("the access token was rejected (401 unauthorized): get a new token or set refresh_token and client_secret");
        }
        catch (ForbiddenException forbidden)
        {
            return ConnectionTestResult.Failed(forbidden.Message);
        }
        catch (ServiceUnreachableException unreachable)
        {
            return ConnectionTestResult.Failed(unreachable.Message);
        }
        catch (RequestTimeoutException timeout)
        {
            return ConnectionTestResult.Failed($"cannot reach {client.Connection.Host}: {timeout.Message}");
        }
        catch (ApiException other)
        {
            return ConnectionTestResult.Failed($"unexpected response {(int)other.StatusCode}: {other.BodyExcerpt}");
        }
        catch (ConstantContactException other)
        {
            return ConnectionTestResult.Failed(other.Message);
        }
    }

    private ConstantContactClient Client(ConnectionContext context) => ConstantContactClient.For(context, _tuning);

}
