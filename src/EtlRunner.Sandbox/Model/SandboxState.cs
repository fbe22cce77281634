using EtlRunner.Sandbox.Storage;

namespace EtlRunner.Sandbox.Model;

/// <summary>
/// The sandbox's data: contacts, lists, custom fields, tags and activities, guarded by one lock.
/// Every access goes through <see cref="Read{T}"/> or <see cref="Write{T}"/>, which first let due
/// activities complete and afterwards write the changed records through to the persistence.
/// </summary>
internal sealed class SandboxState
{
    private readonly Dictionary<Guid, ContactRecord> _contacts = [];
    private readonly List<ContactRecord> _ordered = [];
    private readonly Dictionary<string, ContactRecord> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, ListRecord> _lists = [];
    private readonly Dictionary<Guid, CustomFieldRecord> _fields = [];
    private readonly Dictionary<Guid, TagRecord> _tags = [];
    private readonly Dictionary<Guid, ActivityRecord> _activities = [];
    private readonly HashSet<object> _dirty = new(ReferenceEqualityComparer.Instance);
    private readonly List<Guid> _deletedFields = [];
    private readonly IPersistence _persistence;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _sequence;

    public SandboxState(IPersistence persistence, TimeProvider time)
    {
        _persistence = persistence;
        _time = time;
        var data = persistence.Load();
        foreach (var c in data.Contacts.OrderBy(c => c.Sequence))
        {
            Index(c);
        }

        data.Lists.ForEach(l => _lists[l.Id] = l);
        data.Fields.ForEach(f => _fields[f.Id] = f);
        data.Tags.ForEach(t => _tags[t.Id] = t);
        data.Activities.ForEach(a => _activities[a.Id] = a);
        _sequence = new[] { data.Contacts.Select(c => c.Sequence), data.Lists.Select(l => l.Sequence),
            data.Fields.Select(f => f.Sequence), data.Tags.Select(t => t.Sequence), data.Activities.Select(a => a.Sequence) }
            .SelectMany(s => s).DefaultIfEmpty(0).Max();
    }

    /// <summary>Runs before every access, under the lock: completes due activities.</summary>
    public Action? BeforeAccess { get; set; }

    /// <summary>Current time truncated to whole seconds, as the API shows timestamps.</summary>
    public DateTimeOffset Now
    {
        get
        {
            var t = _time.GetUtcNow();
            return new DateTimeOffset(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }
    }

    public DateTimeOffset PreciseNow => _time.GetUtcNow();

    public bool IsEmpty => _contacts.Count == 0 && _lists.Count == 0 && _fields.Count == 0 && _tags.Count == 0;

    public IReadOnlyList<ContactRecord> Contacts => _ordered;

    public IEnumerable<ListRecord> Lists => _lists.Values.OrderBy(l => l.Sequence);

    public IEnumerable<CustomFieldRecord> Fields => _fields.Values.OrderBy(f => f.Sequence);

    public IEnumerable<TagRecord> Tags => _tags.Values.Where(t => !t.IsDeleted).OrderBy(t => t.Sequence);

    public IEnumerable<ActivityRecord> Activities => _activities.Values.OrderBy(a => a.Sequence);

    public T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            BeforeAccess?.Invoke();
            Flush();
            return read();
        }
    }

    public T Write<T>(Func<T> write)
    {
        lock (_gate)
        {
            BeforeAccess?.Invoke();
            try
            {
                return write();
            }
            finally
            {
                Flush();
            }
        }
    }

    public ContactRecord? Contact(Guid id) => _contacts.GetValueOrDefault(id);

    public ContactRecord? ContactByEmail(string address) => _byEmail.GetValueOrDefault(address.Trim());

    public ContactRecord? ContactBySms(string fullNumber) =>
        _ordered.FirstOrDefault(c => c.Sms is { } s && s.FullNumber == fullNumber);

    public ListRecord? List(Guid id) => _lists.GetValueOrDefault(id);

    public ListRecord? ActiveList(Guid id) => _lists.GetValueOrDefault(id) is { IsDeleted: false } l ? l : null;

    public CustomFieldRecord? Field(Guid id) => _fields.GetValueOrDefault(id);

    public TagRecord? Tag(Guid id) => _tags.GetValueOrDefault(id) is { IsDeleted: false } t ? t : null;

    public ActivityRecord? Activity(Guid id) => _activities.GetValueOrDefault(id);

    public void AddContact(ContactRecord contact)
    {
        contact.Sequence = ++_sequence;
        Index(contact);
        MarkDirty(contact);
    }

    /// <summary>Replaces a contact's email, keeping the by-address index right.</summary>
    public void SetEmail(ContactRecord contact, EmailRecord? email)
    {
        if (contact.Email is { } old && _byEmail.GetValueOrDefault(old.Address) == contact)
        {
            _byEmail.Remove(old.Address);
        }

        contact.Email = email;
        if (email is not null)
        {
            _byEmail[email.Address] = contact;
        }

        MarkDirty(contact);
    }

    public void AddList(ListRecord list)
    {
        list.Sequence = ++_sequence;
        _lists[list.Id] = list;
        MarkDirty(list);
    }

    public void AddField(CustomFieldRecord field)
    {
        field.Sequence = ++_sequence;
        _fields[field.Id] = field;
        MarkDirty(field);
    }

    public void AddTag(TagRecord tag)
    {
        tag.Sequence = ++_sequence;
        _tags[tag.Id] = tag;
        MarkDirty(tag);
    }

    public void RemoveField(Guid id)
    {
        _fields.Remove(id);
        _deletedFields.Add(id);
    }

    public void AddActivity(ActivityRecord activity)
    {
        activity.Sequence = ++_sequence;
        _activities[activity.Id] = activity;
        MarkDirty(activity);
    }

    public void MarkDirty(object record) => _dirty.Add(record);

    private void Index(ContactRecord contact)
    {
        _contacts[contact.Id] = contact;
        _ordered.Add(contact);
        if (contact.Email is { } e)
        {
            _byEmail[e.Address] = contact;
        }
    }

    private void Flush()
    {
        if (_dirty.Count == 0 && _deletedFields.Count == 0)
        {
            return;
        }

        _persistence.Save([.. _dirty], [.. _deletedFields]);
        _dirty.Clear();
        _deletedFields.Clear();
    }
}
