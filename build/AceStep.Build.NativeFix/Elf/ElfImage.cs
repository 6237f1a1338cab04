using System.Buffers.Binary;
using System.Text;

namespace AceStep.Build.NativeFix.Elf;

/// <summary>The input is not an ELF64 little-endian shared object we can read, or is damaged/truncated.</summary>
internal sealed class ElfFormatException(string message) : Exception(message);

/// <summary>One program header (segment) as the dynamic loader sees it.</summary>
internal readonly record struct ProgramHeader(uint Type, ulong Offset, ulong VirtualAddress, ulong FileSize);

/// <summary>One section header; only used to size .dynsym (the dynamic section does not record its length).</summary>
internal readonly record struct SectionHeader(uint Type, ulong Offset, ulong Size, ulong EntrySize);

/// <summary>One Elf64_Dyn entry; <see cref="FileOffset"/> is where its 16 bytes live in the file.</summary>
internal readonly record struct DynamicEntry(int Index, long FileOffset, long Tag, ulong Value);

/// <summary>One Vernaux: a version the object needs from <see cref="VersionNeed.File"/>.</summary>
/// <param name="Name">Version name, e.g. GLIBCXX_3.4.32.</param>
/// <param name="Flags">vna_flags; bit 0x2 (VER_FLG_WEAK) makes a missing version non-fatal to ld.so.</param>
/// <param name="Index">vna_other: the index .gnu.version uses for symbols bound to this version.</param>
/// <param name="FlagsFileOffset">File offset of the 16-bit vna_flags field.</param>
/// <param name="NameOffset">vna_name, an offset into the dynamic string table.</param>
internal sealed record VersionNeedAux(string Name, ushort Flags, ushort Index, long FlagsFileOffset, uint NameOffset)
{
    /// <summary>True when the loader treats a missing version as a warning, not an error.</summary>
    public bool IsWeak => (Flags & ElfConstants.VerFlagWeak) != 0;
}

/// <summary>One Verneed: the versions needed from one DT_NEEDED library.</summary>
internal sealed record VersionNeed(string File, uint FileNameOffset, IReadOnlyList<VersionNeedAux> Versions);

/// <summary>One dynamic symbol with the version index .gnu.version gives it.</summary>
internal readonly record struct DynamicSymbol(string Name, uint NameOffset, ushort VersionIndex, bool IsDefined);

/// <summary>ELF constants we use (values from the System V gABI and the GNU symbol-versioning extension).</summary>
internal static class ElfConstants
{
    public const uint PtLoad = 1;
    public const uint PtDynamic = 2;
    public const uint ShtDynsym = 11;
    public const long DtNull = 0;
    public const long DtNeeded = 1;
    public const long DtStrtab = 5;
    public const long DtSymtab = 6;
    public const long DtStrsz = 10;
    public const long DtSoname = 14;
    public const long DtRpath = 15;
    public const long DtSymbolic = 16;
    public const long DtRunpath = 29;
    public const long DtFlags = 30;
    public const long DtVersym = 0x6ffffff0;
    public const long DtVerdef = 0x6ffffffc;
    public const long DtVerdefnum = 0x6ffffffd;
    public const long DtVerneed = 0x6ffffffe;
    public const long DtVerneednum = 0x6fffffff;
    public const long DtAuxiliary = 0x7ffffffd;
    public const long DtFilter = 0x7fffffff;
    public const ulong DfSymbolic = 0x2;
    public const ushort VerFlagWeak = 0x2;
    public const int DynEntrySize = 16;
}

/// <summary>
/// A minimal, bounds-checked reader for ELF64 little-endian shared objects (x86-64/aarch64 Linux): the dynamic
/// section, the dynamic string table, version needs/definitions and dynamic symbols. It reads through the
/// program headers (what ld.so uses) and only uses section headers to count dynamic symbols. The bytes are held
/// in memory so <see cref="ElfPatcher"/> can edit them in place; nothing here changes layout.
/// </summary>
internal sealed class ElfImage
{
    private readonly List<ProgramHeader> _segments = [];
    private readonly List<SectionHeader> _sections = [];
    private readonly List<DynamicEntry> _dynamic = [];

    private ElfImage(byte[] bytes, string description)
    {
        Bytes = bytes;
        Description = description;
        Parse();
    }

    /// <summary>The file contents; patches write here.</summary>
    public byte[] Bytes { get; }

    /// <summary>What the bytes came from (a path), for error messages.</summary>
    public string Description { get; }

    /// <summary>File offset of the PT_DYNAMIC segment.</summary>
    public long DynamicOffset { get; private set; }

    /// <summary>Number of Elf64_Dyn slots PT_DYNAMIC has room for (including DT_NULL terminators and spares).</summary>
    public int DynamicCapacity { get; private set; }

    /// <summary>Entries up to and including the first DT_NULL.</summary>
    public IReadOnlyList<DynamicEntry> Dynamic => _dynamic;

    /// <summary>File offset of the dynamic string table (DT_STRTAB).</summary>
    public long StringTableOffset { get; private set; }

    /// <summary>Size in bytes of the dynamic string table (DT_STRSZ).</summary>
    public long StringTableSize { get; private set; }

    /// <summary>Reads a file into memory and parses it.</summary>
    /// <exception cref="ElfFormatException">The file is not a readable ELF64 LE shared object.</exception>
    public static ElfImage Load(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses bytes already in memory.</summary>
    /// <exception cref="ElfFormatException">The bytes are not a readable ELF64 LE shared object.</exception>
    public static ElfImage Parse(byte[] bytes, string description) => new(bytes, description);

    /// <summary>Names of the DT_NEEDED libraries, in load order.</summary>
    public IReadOnlyList<string> Needed =>
        _dynamic.Where(e => e.Tag == ElfConstants.DtNeeded).Select(e => ReadDynString(e.Value)).ToList();

    /// <summary>DT_RUNPATH (or, failing that, DT_RPATH), or null when the object has neither.</summary>
    public string? RunPath
    {
        get
        {
            var entry = _dynamic.FirstOrDefault(e => e.Tag == ElfConstants.DtRunpath);
            if (entry.Tag != ElfConstants.DtRunpath)
                entry = _dynamic.FirstOrDefault(e => e.Tag == ElfConstants.DtRpath);
            return entry.Tag is ElfConstants.DtRunpath or ElfConstants.DtRpath ? ReadDynString(entry.Value) : null;
        }
    }

    /// <summary>The .gnu.version_r contents (empty when the object has no version needs).</summary>
    public IReadOnlyList<VersionNeed> ReadVersionNeeds()
    {
        var result = new List<VersionNeed>();
        if (!TryGetDynamic(ElfConstants.DtVerneed, out var verneedAddress))
            return result;
        var count = TryGetDynamic(ElfConstants.DtVerneednum, out var n) ? (int)Math.Min(n, 65535) : 0;
        var offset = AddressToOffset(verneedAddress, "DT_VERNEED");
        for (var i = 0; i < count; i++)
        {
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            var auxCount = U16(offset + 2);
            var fileName = U32(offset + 4);
            var auxOffset = offset + U32(offset + 8);
            var next = U32(offset + 12);
            var versions = new List<VersionNeedAux>();
            for (var j = 0; j < auxCount; j++)
            {
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                var flags = U16(auxOffset + 4);
                var index = U16(auxOffset + 6);
                var nameOffset = U32(auxOffset + 8);
                versions.Add(new VersionNeedAux(ReadDynString(nameOffset), flags, index, auxOffset + 4, nameOffset));
                var auxNext = U32(auxOffset + 12);
                if (auxNext == 0)
                    break;
                auxOffset += auxNext;
            }

            result.Add(new VersionNeed(ReadDynString(fileName), fileName, versions));
            if (next == 0)
                break;
            offset += next;
        }

        return result;
    }

    /// <summary>Names of the versions this object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 for libstdc++.</summary>
    public IReadOnlySet<string> ReadVersionDefinitions()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (!TryGetDynamic(ElfConstants.DtVerdef, out var verdefAddress))
            return result;
        var count = TryGetDynamic(ElfConstants.DtVerdefnum, out var n) ? (int)Math.Min(n, 65535) : 0;
        var offset = AddressToOffset(verdefAddress, "DT_VERDEF");
        for (var i = 0; i < count; i++)
        {
            // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
            // The first Verdaux names the version itself; later ones name its predecessors.
            var auxCount = U16(offset + 6);
            if (auxCount > 0)
                result.Add(ReadDynString(U32(offset + U32(offset + 12))));
            var next = U32(offset + 16);
            if (next == 0)
                break;
            offset += next;
        }

        return result;
    }

    /// <summary>The dynamic symbols with their .gnu.version indexes (0/1 when the object has no versioning).</summary>
    public IReadOnlyList<DynamicSymbol> ReadDynamicSymbols()
    {
        var result = new List<DynamicSymbol>();
        if (!TryGetDynamic(ElfConstants.DtSymtab, out var symtabAddress))
            return result;
        var dynsym = _sections.FirstOrDefault(s => s.Type == ElfConstants.ShtDynsym);
        if (dynsym.Type != ElfConstants.ShtDynsym || dynsym.EntrySize != 24)
            throw new ElfFormatException($"{Description}: no .dynsym section header, so the number of dynamic symbols is unknown.");
        var symtab = AddressToOffset(symtabAddress, "DT_SYMTAB");
        var count = (long)(dynsym.Size / 24);
        long versym = TryGetDynamic(ElfConstants.DtVersym, out var versymAddress) ? AddressToOffset(versymAddress, "DT_VERSYM") : -1;
        for (long i = 0; i < count; i++)
        {
            // Elf64_Sym: st_name u32, st_info u8, st_other u8, st_shndx u16, st_value u64, st_size u64.
            var entry = symtab + (i * 24);
            var nameOffset = U32(entry);
            var sectionIndex = U16(entry + 6);
            var version = versym >= 0 ? U16(versym + (i * 2)) : (ushort)1;
            result.Add(new DynamicSymbol(ReadDynString(nameOffset), nameOffset, (ushort)(version & 0x7fff), sectionIndex != 0));
        }

        return result;
    }

    /// <summary>
    /// Every offset into the dynamic string table that something ld.so reads refers to: string-valued dynamic
    /// entries, version needs and definitions, dynamic symbol names. A patch that reuses string-table bytes must
    /// not overlap any of these (linkers share string tails, so an offset may point into the middle of a string).
    /// </summary>
    public IReadOnlyList<(ulong Offset, string Owner)> CollectStringReferences()
    {
        var result = new List<(ulong, string)>();
        foreach (var entry in _dynamic)
        {
            if (entry.Tag is ElfConstants.DtNeeded or ElfConstants.DtSoname or ElfConstants.DtRpath or ElfConstants.DtRunpath
                or ElfConstants.DtAuxiliary or ElfConstants.DtFilter)
                result.Add((entry.Value, $"dynamic entry {entry.Index} (tag {entry.Tag})"));
        }

        foreach (var need in ReadVersionNeeds())
        {
            result.Add((need.FileNameOffset, $"version need file {need.File}"));
            foreach (var aux in need.Versions)
                result.Add((aux.NameOffset, $"version need {aux.Name}"));
        }

        if (TryGetDynamic(ElfConstants.DtVerdef, out var verdefAddress))
        {
            var count = TryGetDynamic(ElfConstants.DtVerdefnum, out var n) ? (int)Math.Min(n, 65535) : 0;
            var offset = AddressToOffset(verdefAddress, "DT_VERDEF");
            for (var i = 0; i < count; i++)
            {
                var auxCount = U16(offset + 6);
                var aux = offset + U32(offset + 12);
                for (var j = 0; j < auxCount; j++)
                {
                    result.Add((U32(aux), "version definition"));
                    var auxNext = U32(aux + 4);
                    if (auxNext == 0)
                        break;
                    aux += auxNext;
                }

                var next = U32(offset + 16);
                if (next == 0)
                    break;
                offset += next;
            }
        }

        foreach (var symbol in ReadDynamicSymbols())
            result.Add((symbol.NameOffset, $"symbol {symbol.Name}"));
        return result;
    }

    /// <summary>Value of the first dynamic entry with <paramref name="tag"/>.</summary>
    public bool TryGetDynamic(long tag, out ulong value)
    {
        foreach (var entry in _dynamic)
        {
            if (entry.Tag == tag)
            {
                value = entry.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Reads the NUL-terminated string at <paramref name="offset"/> in the dynamic string table.</summary>
    public string ReadDynString(ulong offset)
    {
        if (offset >= (ulong)StringTableSize)
            throw new ElfFormatException($"{Description}: string offset {offset} is outside the dynamic string table ({StringTableSize} bytes).");
        var start = StringTableOffset + (long)offset;
        var end = StringTableOffset + StringTableSize;
        var span = Bytes.AsSpan((int)start, (int)(end - start));
        var length = span.IndexOf((byte)0);
        if (length < 0)
            throw new ElfFormatException($"{Description}: unterminated string at dynamic string offset {offset}.");
        return Encoding.UTF8.GetString(span[..length]);
    }

    /// <summary>Translates a virtual address to a file offset through the PT_LOAD segments, as ld.so maps them.</summary>
    public long AddressToOffset(ulong address, string what)
    {
        foreach (var segment in _segments)
        {
            if (segment.Type == ElfConstants.PtLoad && address >= segment.VirtualAddress &&
                address < segment.VirtualAddress + segment.FileSize)
            {
                var offset = (long)(segment.Offset + (address - segment.VirtualAddress));
                RequireRange(offset, 1, what);
                return offset;
            }
        }

        throw new ElfFormatException($"{Description}: {what} address 0x{address:x} is not inside any PT_LOAD segment.");
    }

    /// <summary>Writes a 64-bit little-endian value (used to rewrite dynamic entries).</summary>
    public void WriteU64(long offset, ulong value)
    {
        RequireRange(offset, 8, "write");
        BinaryPrimitives.WriteUInt64LittleEndian(Bytes.AsSpan((int)offset, 8), value);
    }

    /// <summary>Writes a 16-bit little-endian value (used for vna_flags).</summary>
    public void WriteU16(long offset, ushort value)
    {
        RequireRange(offset, 2, "write");
        BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan((int)offset, 2), value);
    }

    private void Parse()
    {
        if (Bytes.Length < 64)
            throw new ElfFormatException($"{Description}: {Bytes.Length} bytes is too short for an ELF header (64 bytes); the file is not ELF or is truncated.");
        if (Bytes[0] != 0x7f || Bytes[1] != (byte)'E' || Bytes[2] != (byte)'L' || Bytes[3] != (byte)'F')
            throw new ElfFormatException($"{Description}: not an ELF file (missing the 0x7F 'ELF' magic).");
        if (Bytes[4] != 2)
            throw new ElfFormatException($"{Description}: not a 64-bit ELF file (EI_CLASS={Bytes[4]}).");
        if (Bytes[5] != 1)
            throw new ElfFormatException($"{Description}: not a little-endian ELF file (EI_DATA={Bytes[5]}).");
        var type = U16(16);
        if (type != 3)
            throw new ElfFormatException($"{Description}: not a shared object (e_type={type}, expected ET_DYN=3).");

        var phoff = (long)U64(32);
        var shoff = (long)U64(40);
        var phentsize = U16(54);
        var phnum = U16(56);
        var shentsize = U16(58);
        var shnum = U16(60);
        if (phentsize != 56)
            throw new ElfFormatException($"{Description}: unexpected program header size {phentsize} (expected 56).");
        RequireRange(phoff, (long)phnum * phentsize, "program header table");
        for (var i = 0; i < phnum; i++)
        {
            // Elf64_Phdr: p_type u32, p_flags u32, p_offset u64, p_vaddr u64, p_paddr u64, p_filesz u64, ...
            var p = phoff + (i * phentsize);
            _segments.Add(new ProgramHeader(U32(p), U64(p + 8), U64(p + 16), U64(p + 32)));
        }

        if (shoff != 0 && shnum != 0)
        {
            if (shentsize != 64)
                throw new ElfFormatException($"{Description}: unexpected section header size {shentsize} (expected 64).");
            RequireRange(shoff, (long)shnum * shentsize, "section header table");
            for (var i = 0; i < shnum; i++)
            {
                // Elf64_Shdr: sh_name u32, sh_type u32, sh_flags u64, sh_addr u64, sh_offset u64, sh_size u64,
                // sh_link u32, sh_info u32, sh_addralign u64, sh_entsize u64.
                var s = shoff + (i * shentsize);
                _sections.Add(new SectionHeader(U32(s + 4), U64(s + 24), U64(s + 32), U64(s + 56)));
            }
        }

        var dynamicSegment = _segments.FirstOrDefault(s => s.Type == ElfConstants.PtDynamic);
        if (dynamicSegment.Type != ElfConstants.PtDynamic)
            throw new ElfFormatException($"{Description}: no PT_DYNAMIC segment (not a dynamically linked object).");
        DynamicOffset = (long)dynamicSegment.Offset;
        DynamicCapacity = (int)(dynamicSegment.FileSize / ElfConstants.DynEntrySize);
        RequireRange(DynamicOffset, (long)DynamicCapacity * ElfConstants.DynEntrySize, "dynamic section");
        for (var i = 0; i < DynamicCapacity; i++)
        {
            var offset = DynamicOffset + (i * ElfConstants.DynEntrySize);
            var entry = new DynamicEntry(i, offset, (long)U64(offset), U64(offset + 8));
            _dynamic.Add(entry);
            if (entry.Tag == ElfConstants.DtNull)
                break;
        }

        if (_dynamic.Count == 0 || _dynamic[^1].Tag != ElfConstants.DtNull)
            throw new ElfFormatException($"{Description}: the dynamic section has no DT_NULL terminator.");
        if (!TryGetDynamic(ElfConstants.DtStrtab, out var strtab) || !TryGetDynamic(ElfConstants.DtStrsz, out var strsz))
            throw new ElfFormatException($"{Description}: the dynamic section has no DT_STRTAB/DT_STRSZ.");
        StringTableOffset = AddressToOffset(strtab, "DT_STRTAB");
        StringTableSize = (long)strsz;
        RequireRange(StringTableOffset, StringTableSize, "dynamic string table");
    }

    private void RequireRange(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > Bytes.Length || length > Bytes.Length - offset)
            throw new ElfFormatException(
                $"{Description}: {what} at file offset {offset} (+{length} bytes) lies beyond the end of the file ({Bytes.Length} bytes); the file is truncated or damaged.");
    }

    private ushort U16(long offset)
    {
        RequireRange(offset, 2, "field");
        return BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan((int)offset, 2));
    }

    private uint U32(long offset)
    {
        RequireRange(offset, 4, "field");
        return BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan((int)offset, 4));
    }

    private ulong U64(long offset)
    {
        RequireRange(offset, 8, "field");
        return BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan((int)offset, 8));
    }
}
