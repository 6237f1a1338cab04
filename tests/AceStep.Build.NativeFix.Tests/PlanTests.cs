using AceStep.Build.NativeFix.Elf;

namespace AceStep.Build.NativeFix.Tests;

/// <summary>The decision logic: patch only what the system lacks, and only what the shim can stand in for.</summary>
public class PlanTests
{
    private static readonly string CacheLibrary = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static readonly string[] AllButNewest =
        ["GLIBCXX_3.4", "GLIBCXX_3.4.9", "GLIBCXX_3.4.11", "GLIBCXX_3.4.14", "GLIBCXX_3.4.15", "GLIBCXX_3.4.18", "GLIBCXX_3.4.19",
         "GLIBCXX_3.4.20", "GLIBCXX_3.4.21", "GLIBCXX_3.4.22", "GLIBCXX_3.4.26", "GLIBCXX_3.4.29", "GLIBCXX_3.4.30",
         "CXXABI_1.3", "CXXABI_1.3.1", "CXXABI_1.3.3", "CXXABI_1.3.5", "CXXABI_1.3.9", "CXXABI_1.3.13"];

    [Fact]
    public void Debian12_like_libstdcxx_needs_only_the_shimmable_version()
    {
        // Input: TorchSharp's libLibTorchSharp.so against a libstdc++ that stops at GLIBCXX_3.4.30 (GCC 12).
        var plan = LibStdCxxFix.Plan(ElfImage.Load(CacheLibrary), FixMode.Auto, AllButNewest.ToHashSet());
        Assert.Equal(["GLIBCXX_3.4.32"], plan.VersionsToWeaken);
    }

    [Fact]
    public void Newer_libstdcxx_needs_nothing()
    {
        // Input: the same library against a libstdc++ that also has GLIBCXX_3.4.32 (GCC 13+).
        var plan = LibStdCxxFix.Plan(ElfImage.Load(CacheLibrary), FixMode.Auto, AllButNewest.Append("GLIBCXX_3.4.32").ToHashSet());
        Assert.False(plan.IsNeeded);
    }

    [Fact]
    public void Much_older_libstdcxx_is_refused_with_the_missing_versions()
    {
        // Input: the same library against a libstdc++ without GLIBCXX_3.4.30 (real code would be missing).
        var e = Assert.Throws<NativeFixException>(() =>
            LibStdCxxFix.Plan(ElfImage.Load(CacheLibrary), FixMode.Auto, AllButNewest.Where(v => v != "GLIBCXX_3.4.30").ToHashSet()));
        Assert.Contains("GLIBCXX_3.4.30", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("GLIBCXX_3.4.32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_mode_plans_nothing()
    {
        // Input: the same library with the fix disabled.
        Assert.False(LibStdCxxFix.Plan(ElfImage.Load(CacheLibrary), FixMode.Never, null).IsNeeded);
    }
}
