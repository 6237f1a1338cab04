using AceStep.Plugin.Processing;

namespace AceStep.Plugin.Editor;

/// <summary>
/// The processors alive in this module, so a controller can find its own by the instance id the component's state
/// gave it (setComponentState) when the host connects the two through proxies — Ardour does — instead of directly.
/// Both objects still live in one process there; a host that really runs them apart finds nothing, as before.
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
    public static AceStepProcessor? Find(Guid instanceId)
    {
        if (instanceId == Guid.Empty)
            return null;
        lock (s_processors)
        {
            foreach (var reference in s_processors)
            {
                if (reference.TryGetTarget(out var processor) && processor.InstanceId == instanceId)
                    return processor;
            }
        }

        return null;
    }
}
