using System.Runtime.InteropServices;

namespace AceStep.Plugin;

/// <summary>The three C entry points a Linux VST3 host looks up with dlsym; it rejects the module if one is missing.</summary>
internal static unsafe class ModuleExports
{
    private static int s_entryCount;

    /// <summary>Hosts may call ModuleEntry more than once (one per module object); each call must be matched by ModuleExit.</summary>
    [UnmanagedCallersOnly(EntryPoint = "ModuleEntry")]
    private static byte ModuleEntry(void* sharedLibraryHandle)
    {
        // Nothing to initialise yet; the count exists so unbalanced exits can be reported to the host as failures.
        Interlocked.Increment(ref s_entryCount);
        return 1;
    }

    [UnmanagedCallersOnly(EntryPoint = "ModuleExit")]
    private static byte ModuleExit()
    {
        // The runtime stays loaded (-z nodelete) whatever the count says, so there is nothing to tear down; refusing
        // to go below zero tells a host with an extra ModuleExit that it is out of step.
        int current;
        do
        {
            current = Volatile.Read(ref s_entryCount);
            if (current <= 0)
            {
                return 0;
            }
        }
        while (Interlocked.CompareExchange(ref s_entryCount, current - 1, current) != current);

        return 1;
    }

    [UnmanagedCallersOnly(EntryPoint = "GetPluginFactory")]
    private static void* GetPluginFactory()
    {
        try
        {
            return PluginFactory.GetOrAddRef();
        }
#pragma warning disable CA1031 // Nothing may unwind into the host; a null factory is how a module says it failed.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
