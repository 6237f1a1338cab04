using System.Runtime.InteropServices;
using AceStep.Plugin.Interop;

namespace AceStep.Plugin.Diagnostics;

/// <summary>
/// Two read-only C exports for tests and troubleshooting. The plugin's managed code runs on its own NativeAOT runtime,
/// so a host process cannot see the plugin's allocations or objects through its own GC APIs; these report them.
/// </summary>
internal static class DiagnosticExports
{
    /// <summary>Bytes the plugin's runtime has allocated on the calling thread (<c>GC.GetAllocatedBytesForCurrentThread</c>).</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_AllocatedBytesForCurrentThread")]
    private static long AllocatedBytesForCurrentThread() => GC.GetAllocatedBytesForCurrentThread();

    /// <summary>Components and controllers created and not yet destroyed by their last release.</summary>
    [UnmanagedCallersOnly(EntryPoint = "AceStepDiagnostics_LiveObjects")]
    private static int LiveObjects() => ComObject.LiveCount;
}
