using System.Runtime.InteropServices;

namespace AceStep.Engine.Kernels;

/// <summary>
/// Where the kernels' large buffers come from: on Linux, memory of 2 MiB or more is 2 MiB-aligned and offered to the
/// kernel for transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>; most distributions enable THP only on request).
/// An LM decode step streams every weight once, and with 4 KiB pages the CPU's prefetchers stop at each page edge and
/// its TLB misses every few rows: measured on the 2-core build VM, the 0.6B LM's products in bf16 took 45 ms a token on
/// huge pages against 52–77 ms without (docs/performance.md). Elsewhere — Windows grants large pages only to accounts
/// with the "Lock pages in memory" right — this is a plain aligned allocation.
/// </summary>
internal static unsafe class NativeBuffer
{
    private const nuint HugePage = 2 * 1024 * 1024;
    private const int MadviseHugePage = 14;

    /// <summary>At least <paramref name="bytes"/> bytes, 64-byte aligned (2 MiB when huge pages may back them).</summary>
    public static byte* Allocate(nuint bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes < HugePage)
            return (byte*)NativeMemory.AlignedAlloc(bytes, 64);

        var memory = (byte*)NativeMemory.AlignedAlloc(bytes, HugePage);
        // Only the whole huge pages inside the buffer: advising its partial tail would make the kernel back it with a
        // whole 2 MiB page, up to 2 MiB more resident memory per matrix. Advice is a hint; a refusal changes nothing.
        _ = Madvise(memory, bytes & ~(HugePage - 1), MadviseHugePage);
        return memory;
    }

    /// <summary>Frees a buffer from <see cref="Allocate"/>.</summary>
    public static void Free(void* memory) => NativeMemory.AlignedFree(memory);

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);
}
