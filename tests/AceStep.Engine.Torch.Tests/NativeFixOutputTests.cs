using System.Diagnostics;
using AceStep.Build.NativeFix;
using AceStep.Build.NativeFix.Elf;
using AceStep.Engine.Torch;
using TorchSharp;

namespace AceStep.Engine.Torch.Tests;

/// <summary>
/// The build's libstdc++ fix as it landed in THIS project's output (TorchSharp reaches it transitively through the
/// engine project), compared with the untouched file in the NuGet cache. On a system whose libstdc++ already has
/// GLIBCXX_3.4.32 the build must ship the untouched file instead, and these tests check that.
/// </summary>
public class NativeFixOutputTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string Symbol = "_ZSt21ios_base_library_initv";

    private static readonly string NativeDir = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    private static readonly string OutputLibrary = Path.Combine(NativeDir, "libLibTorchSharp.so");
    private static readonly string OutputShim = Path.Combine(NativeDir, LibStdCxxFix.ShimFileName);

    private static readonly string CacheLibrary = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", typeof(torch).Assembly.GetName().Version!.ToString(3), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static bool SystemNeedsFix
    {
        get
        {
            var libstdcxx = LibStdCxxFix.FindSystemLibStdCxx() ?? throw new InvalidOperationException("no system libstdc++ found");
            return !ElfImage.Load(libstdcxx).ReadVersionDefinitions().Contains(Version);
        }
    }

    [Fact]
    public void Output_library_has_the_weak_need_and_the_shim_needed_exactly_once()
    {
        // Input: runtimes/linux-x64/native/libLibTorchSharp.so in this test's bin directory.
        var image = ElfImage.Load(OutputLibrary);
        var need = image.ReadVersionNeeds().Single(n => n.File == "libstdc++.so.6").Versions.Single(v => v.Name == Version);
        if (SystemNeedsFix)
        {
            Assert.True(need.IsWeak, $"{Version} should be a weak need in {OutputLibrary}");
            Assert.Single(image.Needed, n => n == LibStdCxxFix.ShimFileName);
            Assert.Equal("$ORIGIN/", image.RunPath);
            Assert.True(File.Exists(OutputShim), $"{OutputShim} should be copied next to the library");
        }
        else
        {
            Assert.False(need.IsWeak);
            Assert.Equal(File.ReadAllBytes(CacheLibrary), File.ReadAllBytes(OutputLibrary));
        }
    }

    [Fact]
    public void Shim_defines_the_symbol_at_the_needed_version()
    {
        // Input: libAceStepCxxShim.so next to the output library (only present when the fix applies).
        if (!SystemNeedsFix)
            return;
        var shim = ElfImage.Load(OutputShim);
        Assert.Contains(Version, shim.ReadVersionDefinitions());
        Assert.Contains(shim.ReadDynamicSymbols(), s => s.Name == Symbol && s.IsDefined);
    }

    [Fact]
    public void NuGet_cache_file_is_untouched_and_still_strict()
    {
        // Input: the package's own libLibTorchSharp.so in the NuGet cache, which the build must only ever read.
        var image = ElfImage.Load(CacheLibrary);
        var need = image.ReadVersionNeeds().Single(n => n.File == "libstdc++.so.6").Versions.Single(v => v.Name == Version);
        Assert.False(need.IsWeak);
        Assert.DoesNotContain(LibStdCxxFix.ShimFileName, image.Needed);
        Assert.StartsWith("$ORIGIN/:/lib/intel64", image.RunPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Patching_a_copy_is_deterministic_and_idempotent()
    {
        // Input: an in-memory copy of the NuGet-cache library, patched twice.
        var first = ElfImage.Parse(File.ReadAllBytes(CacheLibrary), "copy of " + CacheLibrary);
        var plan = LibStdCxxFix.Plan(first, FixMode.Always, null);
        Assert.Equal([Version], plan.VersionsToWeaken);
        var once = (byte[])LibStdCxxFix.Apply(first, plan, patchelf: null).Clone();

        var second = ElfImage.Parse(once, "patched copy");
        Assert.Equal(once, LibStdCxxFix.Apply(second, LibStdCxxFix.Plan(second, FixMode.Always, null), patchelf: null));
        Assert.False(ElfPatcher.MarkVersionNeedWeak(second, "libstdc++.so.6", Version));
        Assert.False(ElfPatcher.AddNeeded(second, LibStdCxxFix.ShimFileName));

        if (SystemNeedsFix)
            Assert.Equal(once, File.ReadAllBytes(OutputLibrary));   // the build produced exactly this
    }

    [Fact]
    public void Libtorch_is_loaded_from_this_output_together_with_the_shim()
    {
        // Input: /proc/self/maps after libtorch is initialised: which files did ld.so really map?
        _ = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        var maps = File.ReadAllText("/proc/self/maps");
        Assert.Contains(OutputLibrary, maps, StringComparison.Ordinal);
        Assert.DoesNotContain(CacheLibrary, maps, StringComparison.Ordinal);
        if (SystemNeedsFix)
            Assert.Contains(OutputShim, maps, StringComparison.Ordinal);
    }

    [Fact]
    public void Deps_json_lists_the_library_as_the_package_asset_and_not_the_shim()
    {
        // Input: this test assembly's deps.json, which the host uses to find native assets.
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AceStep.Engine.Torch.Tests.deps.json"));
        Assert.Contains("\"runtimes/linux-x64/native/libLibTorchSharp.so\"", deps, StringComparison.Ordinal);
        Assert.DoesNotContain(LibStdCxxFix.ShimFileName, deps, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_rejects_a_non_elf_file_clearly()
    {
        // Input: a small text file.
        var path = Path.Combine(Path.GetTempPath(), $"not-elf-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "this is a text file, not a shared object, padded to more than sixty-four bytes......");
        try
        {
            var e = Assert.Throws<ElfFormatException>(() => ElfImage.Load(path));
            Assert.Contains("not an ELF file", e.Message, StringComparison.Ordinal);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(4096)]
    [InlineData(1_000_000)]
    public void Reader_rejects_a_truncated_library_clearly(int length)
    {
        // Input: the first `length` bytes of the real libLibTorchSharp.so.
        var bytes = File.ReadAllBytes(CacheLibrary).AsSpan(0, length).ToArray();
        var e = Assert.Throws<ElfFormatException>(() => ElfImage.Parse(bytes, $"first {length} bytes of libLibTorchSharp.so"));
        Assert.True(e.Message.Contains("truncated", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void Tool_reports_a_non_elf_input_as_an_msbuild_error()
    {
        // Input: the build tool's `fix` command, as the build runs it, given this test assembly's .pdb (not ELF).
        var tool = Path.Combine(AppContext.BaseDirectory, "AceStep.Build.NativeFix.dll");
        var input = Path.Combine(AppContext.BaseDirectory, "AceStep.Engine.Torch.Tests.pdb");
        var output = Path.Combine(Path.GetTempPath(), $"nativefix-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[] { tool, "fix", "--input", input, "--output-dir", output, "--mode", "always" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        try
        {
            Assert.Equal(1, process.ExitCode);
            Assert.Contains("error ASNF001:", stderr, StringComparison.Ordinal);
            Assert.Contains("not an ELF file", stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(output, FixCommand.ResultFileName)));
        }
        finally
        {
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
        }
    }
}
