using System.Text;

namespace AceStep.Build.NativeFix.Elf;

/// <summary>A patch cannot be applied to this particular object (as opposed to the object being unreadable).</summary>
internal sealed class ElfPatchException(string message) : Exception(message);

/// <summary>
/// In-place edits of an <see cref="ElfImage"/> that never move or resize anything: no offsets, addresses or
/// section sizes change, so every other structure in the file stays valid by construction.
/// </summary>
internal static class ElfPatcher
{
    /// <summary>
    /// Sets VER_FLG_WEAK on the version need <paramref name="version"/> from <paramref name="file"/>. glibc's ld.so
    /// then reports a missing version as a warning (only visible under ldd -v) instead of refusing to load.
    /// </summary>
    /// <returns>True if a byte changed; false if it was already weak (idempotent).</returns>
    /// <exception cref="ElfPatchException">The object does not need that version from that file.</exception>
    public static bool MarkVersionNeedWeak(ElfImage image, string file, string version)
    {
        var aux = image.ReadVersionNeeds()
            .Where(n => n.File == file)
            .SelectMany(n => n.Versions)
            .FirstOrDefault(v => v.Name == version)
            ?? throw new ElfPatchException($"{image.Description}: has no version need {version} from {file}.");
        if (aux.IsWeak)
            return false;
        image.WriteU16(aux.FlagsFileOffset, (ushort)(aux.Flags | ElfConstants.VerFlagWeak));
        return true;
    }

    /// <summary>
    /// Adds a DT_NEEDED entry for <paramref name="library"/> without growing the file. Room for the entry comes
    /// from a spare slot after the DT_NULL terminator or, failing that, from DT_SYMBOLIC when DT_FLAGS already
    /// carries DF_SYMBOLIC (glibc derives the former from the latter, so the entry is redundant). Room for the
    /// name comes from an existing identical string, or from the tail of DT_RUNPATH/DT_RPATH: entries that do not
    /// start with $ORIGIN are dropped (in libLibTorchSharp.so these are paths on TorchSharp's CI machine).
    /// The new entry goes right after the existing DT_NEEDED entries, so it loads after them.
    /// </summary>
    /// <returns>True if the file changed; false if the entry was already there (idempotent).</returns>
    /// <exception cref="ElfPatchException">There is no room in place; the caller may fall back to patchelf.</exception>
    public static bool AddNeeded(ElfImage image, string library)
    {
        if (image.Needed.Contains(library, StringComparer.Ordinal))
            return false;

        var entries = image.Dynamic.Select(e => (e.Tag, e.Value)).ToList();
        var capacity = image.DynamicCapacity;
        if (entries.Count >= capacity)
        {
            var symbolic = entries.FindIndex(e => e.Tag == ElfConstants.DtSymbolic);
            var hasFlagsSymbolic = image.TryGetDynamic(ElfConstants.DtFlags, out var flags) && (flags & ElfConstants.DfSymbolic) != 0;
            if (symbolic < 0 || !hasFlagsSymbolic)
                throw new ElfPatchException(
                    $"{image.Description}: no spare dynamic-section slot for DT_NEEDED {library} (no slot after DT_NULL and no redundant DT_SYMBOLIC).");
            entries.RemoveAt(symbolic);
        }

        var nameOffset = FindOrMakeString(image, library);
        var lastNeeded = entries.FindLastIndex(e => e.Tag == ElfConstants.DtNeeded);
        entries.Insert(lastNeeded + 1, (ElfConstants.DtNeeded, nameOffset));

        // Rewrite the entries in order. A removed DT_SYMBOLIC and an inserted DT_NEEDED cancel out; a used spare
        // slot lengthens the array by one, which the capacity check above allowed.
        for (var i = 0; i < entries.Count; i++)
        {
            var offset = image.DynamicOffset + ((long)i * ElfConstants.DynEntrySize);
            image.WriteU64(offset, (ulong)entries[i].Tag);
            image.WriteU64(offset + 8, entries[i].Value);
        }

        return true;
    }

    private static ulong FindOrMakeString(ElfImage image, string value)
    {
        var wanted = Encoding.UTF8.GetBytes(value + "\0");
        var table = image.Bytes.AsSpan((int)image.StringTableOffset, (int)image.StringTableSize);

        // Any occurrence followed by NUL is a valid string; offset 0 is always the empty string, so skip it.
        var at = table[1..].IndexOf(wanted);
        if (at >= 0)
            return (ulong)(at + 1);

        var pathEntry = image.Dynamic.FirstOrDefault(e => e.Tag == ElfConstants.DtRunpath);
        if (pathEntry.Tag != ElfConstants.DtRunpath)
            pathEntry = image.Dynamic.FirstOrDefault(e => e.Tag == ElfConstants.DtRpath);
        if (pathEntry.Tag is not (ElfConstants.DtRunpath or ElfConstants.DtRpath))
            throw new ElfPatchException($"{image.Description}: no room for the string {value} (no DT_RUNPATH/DT_RPATH to shorten).");

        var oldPath = image.ReadDynString(pathEntry.Value);
        var kept = oldPath.Split(':').Where(p => p.StartsWith("$ORIGIN", StringComparison.Ordinal)).ToList();
        if (kept.Count == 0)
            throw new ElfPatchException(
                $"{image.Description}: its search path '{oldPath}' has no $ORIGIN entry, so a library next to it would not be found.");
        var newPath = string.Join(':', kept);
        var newPathBytes = Encoding.UTF8.GetByteCount(newPath);
        var oldPathBytes = Encoding.UTF8.GetByteCount(oldPath);
        if (newPathBytes + 1 + wanted.Length > oldPathBytes + 1)
            throw new ElfPatchException(
                $"{image.Description}: no room for the string {value}: its search path '{oldPath}' has no spare tail to reuse.");

        // Nothing else may point into the bytes we rewrite (string-tail sharing would make that possible).
        var start = pathEntry.Value;
        var end = start + (ulong)oldPathBytes;
        foreach (var (offset, owner) in image.CollectStringReferences())
        {
            if (offset > start && offset <= end)
                throw new ElfPatchException(
                    $"{image.Description}: cannot shorten the search path: {owner} shares its bytes (string offset {offset}).");
        }

        var region = table.Slice((int)start, oldPathBytes + 1);
        region.Clear();
        Encoding.UTF8.GetBytes(newPath, region);
        wanted.CopyTo(region[(newPathBytes + 1)..]);
        return start + (ulong)newPathBytes + 1;
    }
}
