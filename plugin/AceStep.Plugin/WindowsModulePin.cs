using System.Runtime.InteropServices;

namespace AceStep.Plugin;

/// <summary>
/// The Windows counterpart of linking with <c>-z nodelete</c>: a NativeAOT runtime cannot be unloaded, so a host that
/// calls FreeLibrary after ExitDll would leave its threads running in unmapped code. Pinning the module makes that
/// FreeLibrary a no-op. Done on the first InitDll or GetPluginFactory (hosts may skip InitDll); nothing off Windows.
/// </summary>
internal static unsafe partial class WindowsModulePin
{
    private const uint GetModuleHandleExFlagPin = 0x1;
    private const uint GetModuleHandleExFlagFromAddress = 0x4;
    private static int s_pinned;

    /// <summary>Pins the module that holds this code, once per process.</summary>
    public static void Pin()
    {
        if (!OperatingSystem.IsWindows() || Interlocked.Exchange(ref s_pinned, 1) == 1)
            return;
        // Any code address inside this module names it: a native entry point compiled into this image.
        delegate* unmanaged<void> inModule = &Anchor;
        _ = GetModuleHandleExW(GetModuleHandleExFlagPin | GetModuleHandleExFlagFromAddress, inModule, out _);
    }

    [UnmanagedCallersOnly]
    private static void Anchor()
    {
    }

    [LibraryImport("kernel32", EntryPoint = "GetModuleHandleExW")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetModuleHandleExW(uint flags, void* moduleNameOrAddress, out nint module);
}
