using EtlRunner.Sandbox.Http;
using EtlRunner.Sandbox.Model;

namespace EtlRunner.Sandbox.Lists;

/// <summary>A ListInput body (POST and PUT): name required and at most 255 characters.</summary>
internal sealed record ListInput(string Name, bool Favorite, string? Description)
{
    public static ListInput Parse(FieldReader r) =>
        new(r.String("name", 255, required: true)?.Trim() ?? "", r.Bool("favorite") ?? false, r.String("description", 2000));

    public void ApplyTo(ListRecord list)
    {
        list.Name = Name;
        list.Favorite = Favorite;
        list.Description = Description;
    }
}
