using System.Collections.Concurrent;

namespace AceStep.Plugin.State;

/// <summary>
/// The instance ids held by live processors in this process. A state whose id another live instance holds is a copy
/// (a preset saved from that instance, or a duplicated track), not this instance's own project state: hosts that do
/// not mark presets (<see cref="StateOrigin"/>) still must not give two tracks one control page and one take list.
/// </summary>
internal static class InstanceRegistry
{
    private static readonly ConcurrentDictionary<Guid, object> s_owners = new();

    /// <summary>Records <paramref name="owner"/> as the holder of <paramref name="id"/>; false when another live instance holds it.</summary>
    public static bool TryClaim(Guid id, object owner) =>
        ReferenceEquals(s_owners.GetOrAdd(id, owner), owner);

    /// <summary>Whether a live instance other than <paramref name="owner"/> holds <paramref name="id"/>.</summary>
    public static bool HeldByAnother(Guid id, object owner) =>
        s_owners.TryGetValue(id, out var holder) && !ReferenceEquals(holder, owner);

    /// <summary>Gives <paramref name="id"/> up, if <paramref name="owner"/> holds it.</summary>
    public static void Release(Guid id, object owner) =>
        s_owners.TryRemove(new KeyValuePair<Guid, object>(id, owner));
}
