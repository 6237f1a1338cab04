using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// The calling thread's resource counters (<c>getrusage(RUSAGE_THREAD)</c>, Linux): what a host's audio thread pays
/// inside a plug-in's <c>process</c>, for the tests and benchmarks that must show it pays no page fault.
/// </summary>
public static unsafe class ThreadUsage
{
    /// <summary>Minor page faults of the calling thread so far, or −1 where the counter is not available.</summary>
    public static long MinorFaults()
    {
        if (!OperatingSystem.IsLinux())
            return -1;
        // struct rusage: two timevals (4 longs), then ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, … (14 longs).
        long* usage = stackalloc long[18];
        return GetRUsage(1, usage) == 0 ? usage[8] : -1;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, long* usage);
}
