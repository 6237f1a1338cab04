using System.Runtime.InteropServices;

namespace AceStep.Engine.Model.Weights;

/// <summary>
/// Drops pages of a read-only file mapping from this process's resident set once a tensor has been copied out of them.
/// Without it, loading a 4.8 GB bf16 checkpoint into 9.6 GB of fp32 weights peaks at both sizes at once, because touched
/// file pages count as resident until the file is unmapped. The pages stay in the OS page cache, so a later read of a
/// neighbouring tensor sharing a boundary page just maps it again (the mapping is read-only: no data can be lost).
/// </summary>
internal static unsafe partial class MappedPages
{
    private const int MadvDontNeed = 4;
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>Advises the kernel that [start, start + length) is no longer needed (Linux; a no-op elsewhere).</summary>
    public static void Release(byte* start, long length)
    {
        if (!OperatingSystem.IsLinux() || length < PageSize)
            return;
        var first = ((long)start + PageSize - 1) / PageSize * PageSize;   // whole pages inside the range only
        var end = ((long)start + length) / PageSize * PageSize;
        if (end > first)
            _ = Madvise((nint)first, (nuint)(end - first), MadvDontNeed);  // advisory: failure only costs memory
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
