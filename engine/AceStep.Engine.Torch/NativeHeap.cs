using System.Runtime.InteropServices;

namespace AceStep.Engine.Torch;

/// <summary>
/// Keeps freed tensor memory from staying resident. libtorch's CPU allocator uses glibc malloc; glibc raises its mmap
/// threshold (up to 32 MB) each time a large block is freed, after which weight-sized blocks come from heap arenas and
/// are kept by the process when freed. Measured: an engine in sequential memory mode, which unloads the DiT between
/// stages, peaked higher than one keeping every model resident. Linux/glibc only; a no-op elsewhere.
/// </summary>
public static partial class NativeHeap
{
    private const int MMmapThreshold = -3;
    private static int s_configured;

    /// <summary>Fixes glibc's mmap threshold at 1 MiB, so every tensor of 1 MiB or more is its own mapping and goes back
    /// to the OS when freed. Called once by <see cref="TorchRuntime.Create"/>; safe to call again.</summary>
    public static void ConfigureForLargeTensors()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_configured, 1) == 1)
            return;
        try
        {
            _ = Mallopt(MMmapThreshold, 1 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): nothing to tune.
        }
    }

    /// <summary>Returns free heap memory to the OS (after unloading a model).</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
