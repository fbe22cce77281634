using System.Text.Json;
using System.Text.Json.Nodes;
using EtlRunner.Connectors.ConstantContact.Clients;
using EtlRunner.Connectors.ConstantContact.Http;
using EtlRunner.Connectors.ConstantContact.Models.Requests;
using EtlRunner.Connectors.ConstantContact.Models.Responses;

namespace EtlRunner.Connectors.ConstantContact;

/// <summary>
/// The account's lists, tags and custom fields by name, for one run: each kind is read whole the first time one of its
/// names is needed (paged), a name matches an id or, case-insensitively, a name (a custom field's label, else its
/// name), and with <c>create_missing</c> a name the account lacks is created once, not once per record. In a dry run
/// (<see cref="Preview"/>) nothing is created: a missing name gets a stand-in id, and <see cref="RealRunRequests"/>
/// counts the requests the real run would have sent for names.
/// </summary>
internal sealed class AccountNames(NamedResourcesClient client)
{
    /// <summary>Names listed in a "no list named ..." reason; an account with more is summarised.</summary>
    private const int NamesShown = 20;

    private readonly Dictionary<NamedKind, List<NamedResource>> _read = [];
    private readonly Dictionary<NamedKind, int> _pages = [];
    private readonly HashSet<NamedKind> _needed = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A dry run's: names the account lacks are not created (see <see cref="RealRunRequests"/>).</summary>
    public bool Preview { get; set; }

    /// <summary>
    /// The requests a real run would have sent for names so far: the pages of each kind a record named by name, and
    /// one POST per name created (in a dry run, that would have been created). Written under the gate.
    /// </summary>
    public long RealRunRequests { get; private set; }

    /// <summary>The id that <paramref name="nameOrId"/> names, or why there is none (an ordinary reject reason).</summary>
    public async Task<(string? Id, string? Problem)> ResolveAsync(NamedKind kind, string nameOrId, bool createMissing, RequestOptions options, CancellationToken cancellationToken)
    {
        var (found, problem) = await FindAsync(kind, nameOrId, createMissing, options, cancellationToken).ConfigureAwait(false);
        return (found?.Id, problem);
    }

    /// <summary>The list, tag or custom field that <paramref name="nameOrId"/> names (created with <paramref name="createMissing"/>), or why there is none.</summary>
    public async Task<(NamedResource? Found, string? Problem)> FindAsync(NamedKind kind, string nameOrId, bool createMissing, RequestOptions options, CancellationToken cancellationToken)
    {
        var text = nameOrId.Trim();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = await ReadAsync(kind, options, cancellationToken).ConfigureAwait(false);
            if (_needed.Add(kind))
            {
                RealRunRequests += _pages[kind];
            }

            if ((all.FirstOrDefault(r => string.Equals(r.Id, text, StringComparison.OrdinalIgnoreCase))
                ?? all.FirstOrDefault(r => r.IsNamed(text))) is { } found)
            {
                return (found, null);
            }

            if (!createMissing || text.Length == 0)
            {
                return (null, Unknown(kind, text, all));
            }

            var created = Preview
                ? new NamedResource(StandInId(kind, text), text, JsonElement.Parse(new JsonObject { ["name"] = text }.ToJsonString()))
                : await client.CreateAsync(kind, text, options, cancellationToken).ConfigureAwait(false);
            RealRunRequests++;
            all.Add(created);
            return (created, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the account has the list, tag or custom field of id <paramref name="id"/> (a dry run's check of a body's references; the real run reads no names for it).</summary>
    public async Task<bool> HasIdAsync(NamedKind kind, string id, RequestOptions options, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = await ReadAsync(kind, options, cancellationToken).ConfigureAwait(false);
            return all.Exists(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every id of <paramref name="names"/>, or the first problem.</summary>
    public async Task<(IReadOnlyList<string> Ids, string? Problem)> ResolveAllAsync(NamedKind kind, IEnumerable<string> names, bool createMissing, RequestOptions options, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var name in names)
        {
            var (id, problem) = await ResolveAsync(kind, name, createMissing, options, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return ([], problem);
            }

            if (!ids.Contains(id!, StringComparer.OrdinalIgnoreCase))
            {
                ids.Add(id!);
            }
        }

        return (ids, null);
    }

    /// <summary>Reads every resource of the kind the first time (under the gate).</summary>
    private async Task<List<NamedResource>> ReadAsync(NamedKind kind, RequestOptions options, CancellationToken cancellationToken)
    {
        if (!_read.TryGetValue(kind, out var all))
        {
            var pages = 0;
            _read[kind] = all = [.. await client.GetAllAsync(kind, options, cancellationToken, onPage: () => pages++).ConfigureAwait(false)];
            _pages[kind] = pages;
        }

        return all;
    }

    /// <summary>A dry run's id for a name it would create: the same for the same name, never an id the account has.</summary>
    private static string StandInId(NamedKind kind, string name) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(kind + ":" + name.ToUpperInvariant()))[..16]).ToString();

    private static string Unknown(NamedKind kind, string name, List<NamedResource> all)
    {
        var noun = kind.Noun();
        if (all.Count == 0)
        {
            return $"no {noun} named '{name}': the account has no {noun}s (create_missing: true creates it)";
        }

        var names = string.Join(", ", all.Take(NamesShown).Select(r => r.Name));
        var more = all.Count > NamesShown ? $" and {all.Count - NamesShown} more" : string.Empty;
        return $"no {noun} named '{name}'; {noun}s are: {names}{more} (create_missing: true creates it)";
    }
}
