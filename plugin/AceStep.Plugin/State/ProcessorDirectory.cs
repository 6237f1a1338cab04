using AceStep.Plugin.Processing;

namespace AceStep.Plugin.State;

/// <summary>
/// The processors alive in this module. It answers two questions:
/// <list type="bullet">
/// <item>Does another live instance hold this id? A state whose id does is a copy (a preset saved from that instance,
/// a duplicated track), not this instance's own project state — hosts that do not mark presets (<see cref="StateOrigin"/>)
/// still must not give two tracks one control page and one take list.</item>
/// <item>Which processor belongs to a controller? Ardour connects processor and controller through proxies, so a
/// controller finds its own through the state the host hands both halves (setState, then setComponentState).</item>
/// </list>
/// A host that really runs the two apart finds nothing here, as before. All callers are on the host's main thread or
/// the instances' own threads; the list is locked.
/// </summary>
internal static class ProcessorDirectory
{
    private static readonly List<WeakReference<AceStepProcessor>> s_processors = [];

    public static void Register(AceStepProcessor processor)
    {
        lock (s_processors)
            s_processors.Add(new WeakReference<AceStepProcessor>(processor));
    }

    public static void Unregister(AceStepProcessor processor)
    {
        lock (s_processors)
            s_processors.RemoveAll(r => !r.TryGetTarget(out var p) || ReferenceEquals(p, processor));
    }

    /// <summary>The live processor with this instance id, or null (none, or <see cref="Guid.Empty"/>).</summary>
    /// <remarks>Called on every editor tick and parameter-text query: walks the list under its lock, allocating nothing.</remarks>
    public static AceStepProcessor? Find(Guid instanceId) =>
        instanceId == Guid.Empty ? null : Holder(instanceId, except: null);

    /// <summary>Whether a live processor other than <paramref name="self"/> holds <paramref name="instanceId"/>.</summary>
    public static bool HeldByAnother(Guid instanceId, AceStepProcessor self) =>
        Holder(instanceId, except: self) is not null;

    /// <summary>
    /// The processor that most recently took a state carrying <paramref name="stateId"/> (the controller's state comes
    /// right after its processor's): a copy keeps its own id, so the state's id alone would name the original.
    /// </summary>
    public static AceStepProcessor? ForState(Guid stateId)
    {
        if (stateId == Guid.Empty)
            return null;
        AceStepProcessor? latest = null;
        lock (s_processors)
        {
            foreach (var reference in s_processors)
            {
                if (reference.TryGetTarget(out var p) && p.LastState.Id == stateId && (latest is null || p.LastState.Sequence > latest.LastState.Sequence))
                    latest = p;
            }
        }

        return latest ?? Find(stateId);
    }

    private static AceStepProcessor? Holder(Guid instanceId, AceStepProcessor? except)
    {
        lock (s_processors)
        {
            foreach (var reference in s_processors)
            {
                if (reference.TryGetTarget(out var processor) && processor.InstanceId == instanceId && !ReferenceEquals(processor, except))
                    return processor;
            }
        }

        return null;
    }
}
