using System.Runtime.InteropServices;
using AceStep.Build.NativeFix.Elf;

namespace AceStep.Build.NativeFix.Tests;

/// <summary>The in-place ELF edits, end to end: a library that ld.so refuses loads after the patch.</summary>
public class ElfPatcherTests
{
    private const string LongRunPath = "$ORIGIN:/home/ci/agent/work/1/s/build/obj/Release/some/long/ci/only/path";

    [Fact]
    public void Reader_sees_the_version_need_and_its_symbol()
    {
        // Input: libuser.so linked against the new libdep.so.
        using var libs = new SyntheticLibraries(LongRunPath);
        var image = ElfImage.Load(libs.User);

        var need = image.ReadVersionNeeds().Single(n => n.File == "libdep.so");
        var dep2 = need.Versions.Single(v => v.Name == "DEP_2");
        Assert.False(dep2.IsWeak);
        Assert.Contains(image.ReadDynamicSymbols(), s => s.Name == "unused" && s.VersionIndex == dep2.Index && !s.IsDefined);
        Assert.Contains("libdep.so", image.Needed);
        Assert.Equal(LongRunPath, image.RunPath);
        Assert.Equal(new HashSet<string> { "libdep.so", "DEP_1", "DEP_2" }, ElfImage.Load(Path.Combine(libs.Directory, "new", "libdep.so")).ReadVersionDefinitions());
    }

    [Fact]
    public void Unpatched_library_fails_to_load_against_the_old_dependency()
    {
        // Input: libuser.so as linked, next to the OLD libdep.so (no DEP_2): the Debian 12 situation.
        using var libs = new SyntheticLibraries(LongRunPath);
        var staged = libs.StageWithOldDep(File.ReadAllBytes(libs.User), "unpatched");

        Assert.False(NativeLibrary.TryLoad(staged, out _));
    }

    [Fact]
    public void Weak_need_plus_shim_as_needed_loads_and_runs()
    {
        // Input: libuser.so patched (DEP_2 weak, libshim.so DEP_2-providing shim as DT_NEEDED, name placed in the
        // tail of its run path), next to the OLD libdep.so and the shim.
        using var libs = new SyntheticLibraries(LongRunPath);
        var image = ElfImage.Load(libs.User);
        Assert.True(ElfPatcher.MarkVersionNeedWeak(image, "libdep.so", "DEP_2"));
        Assert.True(ElfPatcher.AddNeeded(image, "libshim.so"));

        var reread = ElfImage.Parse(image.Bytes, "patched libuser.so");
        Assert.True(reread.ReadVersionNeeds().Single().Versions.Single(v => v.Name == "DEP_2").IsWeak);
        Assert.Single(reread.Needed, n => n == "libshim.so");
        Assert.Equal("$ORIGIN", reread.RunPath);

        var shim = BuildShim(libs.Directory);
        var staged = libs.StageWithOldDep(image.Bytes, "patched", shim);
        var handle = NativeLibrary.Load(staged);
        try
        {
            var entry = NativeLibrary.GetExport(handle, "user_entry");
            unsafe
            {
                Assert.Equal(42, ((delegate* unmanaged<int>)entry)());
            }
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    [Fact]
    public void Patching_twice_changes_nothing_the_second_time()
    {
        // Input: libuser.so, patched, then patched again.
        using var libs = new SyntheticLibraries(LongRunPath);
        var image = ElfImage.Load(libs.User);
        ElfPatcher.MarkVersionNeedWeak(image, "libdep.so", "DEP_2");
        ElfPatcher.AddNeeded(image, "libshim.so");
        var once = (byte[])image.Bytes.Clone();

        var again = ElfImage.Parse(once.ToArray(), "patched copy");
        Assert.False(ElfPatcher.MarkVersionNeedWeak(again, "libdep.so", "DEP_2"));
        Assert.False(ElfPatcher.AddNeeded(again, "libshim.so"));
        Assert.Equal(once, again.Bytes);
    }

    [Fact]
    public void No_room_in_place_is_a_clear_patch_error()
    {
        // Input: libuser.so whose run path is just "$ORIGIN" (no tail to reuse for the new name).
        using var libs = new SyntheticLibraries("$ORIGIN");
        var image = ElfImage.Load(libs.User);

        var e = Assert.Throws<ElfPatchException>(() => ElfPatcher.AddNeeded(image, "libshim.so"));
        Assert.Contains("libshim.so", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_version_need_is_a_clear_patch_error()
    {
        // Input: libuser.so, asked to weaken a version it does not need.
        using var libs = new SyntheticLibraries(LongRunPath);
        var e = Assert.Throws<ElfPatchException>(() => ElfPatcher.MarkVersionNeedWeak(ElfImage.Load(libs.User), "libdep.so", "DEP_9"));
        Assert.Contains("DEP_9", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_elf_and_truncated_inputs_are_clear_format_errors()
    {
        // Inputs: 100 bytes of text; the first 63 bytes of libuser.so (shorter than an ELF header); its first
        // 200 bytes (header fine, tables cut off); a 32-bit ELF header.
        using var libs = new SyntheticLibraries(LongRunPath);
        var user = File.ReadAllBytes(libs.User);

        Assert.Contains("not an ELF file", Assert.Throws<ElfFormatException>(() => ElfImage.Parse(new byte[100], "text")).Message, StringComparison.Ordinal);
        Assert.Contains("too short", Assert.Throws<ElfFormatException>(() => ElfImage.Parse(user[..63], "63 bytes")).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<ElfFormatException>(() => ElfImage.Parse(user[..200], "200 bytes")).Message, StringComparison.Ordinal);
        var elf32 = user[..64];
        elf32[4] = 1;
        Assert.Contains("not a 64-bit", Assert.Throws<ElfFormatException>(() => ElfImage.Parse(elf32, "ELFCLASS32")).Message, StringComparison.Ordinal);
    }

    private static string BuildShim(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "shim.c"), "void unused(void) {}\n");
        File.WriteAllText(Path.Combine(directory, "shim.map"), "DEP_2 { global: unused; local: *; };\n");
        var start = new System.Diagnostics.ProcessStartInfo("gcc") { WorkingDirectory = directory };
        foreach (var arg in new[] { "-shared", "-fPIC", "-nostdlib", "-Wl,--version-script=shim.map", "-Wl,-soname,libshim.so", "-o", "libshim.so", "shim.c" })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return Path.Combine(directory, "libshim.so");
    }
}
