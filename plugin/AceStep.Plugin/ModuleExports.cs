using System.Runtime.InteropServices;

namespace AceStep.Plugin;

/// <summary>
/// The C entry points VST3 hosts look up: <c>ModuleEntry</c>/<c>ModuleExit</c>/<c>GetPluginFactory</c> on Linux (a
/// host rejects the module if one is missing), <c>InitDll</c>/<c>ExitDll</c>/<c>GetPluginFactory</c> on Windows. A
/// build exports its own platform's pair (ACESTEP_WINDOWS_MODULE, set by the csproj for win-* runtime identifiers);
/// ModuleEntry/ModuleExit stay exported in both (Windows hosts ignore them).
/// </summary>
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
    private static byte ModuleExit() => Leave();

    private static byte Leave()
    {
        // The runtime stays loaded (-z nodelete on Linux, a pinned module on Windows: WindowsModulePin)
        // whatever the count says, so there is nothing to tear down; refusing to go below zero tells a host with an
        // extra exit call that it is out of step.
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

#if ACESTEP_WINDOWS_MODULE
    /// <summary>Windows hosts call InitDll (C++ <c>bool InitDll()</c>) after LoadLibrary; same meaning as ModuleEntry.</summary>
    [UnmanagedCallersOnly(EntryPoint = "InitDll")]
    private static byte InitDll()
    {
        WindowsModulePin.Pin();
        Interlocked.Increment(ref s_entryCount);
        return 1;
    }

    /// <summary>Windows hosts call ExitDll before FreeLibrary; same meaning as ModuleExit.</summary>
    [UnmanagedCallersOnly(EntryPoint = "ExitDll")]
    private static byte ExitDll() => Leave();
#endif

    [UnmanagedCallersOnly(EntryPoint = "GetPluginFactory")]
    private static void* GetPluginFactory()
    {
        try
        {
            WindowsModulePin.Pin();
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
