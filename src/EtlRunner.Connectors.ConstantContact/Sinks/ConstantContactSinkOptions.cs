namespace EtlRunner.Connectors.ConstantContact.Sinks;

/// <summary>How a target sends: one request per record, or Constant Contact's bulk activities.</summary>
internal enum SendMode
{
    Single,
    Bulk,
}

/// <summary>What a create does when the email already exists (409).</summary>
internal enum OnConflict
{
    Fail,
    Skip,
    Update,
}

/// <summary>
/// The parameters of a Constant Contact target, typed and with their defaults applied once (the defaults are the
/// descriptor's, in <see cref="ConstantContactParameters"/>).
/// </summary>
internal sealed record ConstantContactSinkOptions(
    ActivityKind Kind,
    SendMode Mode,
    string CreateSource,
    string UpdateSource,
    OnConflict OnConflict,
    IReadOnlyList<string> ListIds,
    long? MaxDeletes,
    TimeSpan ActivityTimeout,
    bool CreateMissing)
{
    public static ConstantContactSinkOptions From(ActivityKind kind, Settings activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new(
            kind,
            Enum.Parse<SendMode>(Text(activity, ConstantContactParameters.Mode), ignoreCase: true),
            Text(activity, ConstantContactParameters.CreateSource),
            Text(activity, ConstantContactParameters.UpdateSource),
            Enum.Parse<OnConflict>(Text(activity, ConstantContactParameters.OnConflict), ignoreCase: true),
            activity.GetStringList(ConstantContactParameters.ListIds),
            activity.GetInt64(ConstantContactParameters.MaxDeletes),
            activity.GetDuration(ConstantContactParameters.ActivityTimeout) ?? Default<TimeSpan>(ConstantContactParameters.ActivityTimeout),
            activity.GetBoolean(ConstantContactParameters.CreateMissing, false));
    }

    /// <summary>The value, or the descriptor's default when the activity leaves it out (or the activity has no such parameter).</summary>
    private static string Text(Settings activity, string name) =>
        ConstantContactConnectionOptions.Optional(activity, name) ?? Default<string>(name);

    private static T Default<T>(string name)
    {
        var spec = ConstantContactParameters.Descriptor.Activities.SelectMany(a => a.Parameters).First(p => p.Name == name);
        return spec.Default switch
        {
            T value => value,
            string text when typeof(T) == typeof(TimeSpan) => (T)(object)DurationText.Parse(text)!.Value,
            _ => throw new InvalidOperationException($"the parameter {name} has no default of type {typeof(T).Name}"),
        };
    }
}
