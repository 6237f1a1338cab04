using System.Runtime.InteropServices;

namespace AceStep.Engine.Torch;

/// <summary>
/// libtorch's Windows build (<c>torch_cpu.dll</c>, <c>LibTorchSharp.dll</c>) links the Microsoft Visual C++ x64
/// runtime, which a publish does not carry and Windows does not always have. Without it the first model job would
/// fail with "The specified module could not be found" and no hint; this check names the missing files and the fix.
/// Windows only: elsewhere there is nothing to check.
/// </summary>
public static class VisualCppRuntime
{
    /// <summary>The runtime files libtorch 2.10 for Windows x64 imports.</summary>
    public static IReadOnlyList<string> RequiredLibraries { get; } = ["MSVCP140.dll", "VCRUNTIME140.dll", "VCRUNTIME140_1.dll"];

    /// <summary>What to tell the user when files are missing (the same words in the engine log and in a job's error).</summary>
    public const string InstallAdvice =
        "Install the Microsoft Visual C++ Redistributable for Visual Studio 2015-2022 (x64): " +
        "'winget install Microsoft.VCRedist.2015+.x64' (scripts/setup.ps1 does this), or vc_redist.x64.exe from Microsoft's " +
        "\"Latest supported Visual C++ Redistributable downloads\" page; then start the engine again.";

    /// <summary>On Windows, the required runtime files this process cannot load; empty when all load or off Windows.</summary>
    public static IReadOnlyList<string> Missing() => Missing(OperatingSystem.IsWindows(), CanLoad);

    /// <summary><see cref="Missing()"/> for <paramref name="windows"/> with <paramref name="canLoad"/> as the loader:
    /// the platform seam that lets tests check both outcomes on Linux.</summary>
    internal static IReadOnlyList<string> Missing(bool windows, Func<string, bool> canLoad) =>
        windows ? RequiredLibraries.Where(library => !canLoad(library)).ToList() : [];

    /// <summary>A one-paragraph explanation of <paramref name="missing"/>, or null when nothing is missing.</summary>
    public static string? Describe(IReadOnlyList<string> missing) => missing.Count == 0
        ? null
        : $"The Microsoft Visual C++ x64 runtime that libtorch needs is not installed ({string.Join(", ", missing)} not found), " +
          $"so model jobs cannot run; test tones (--diagnostic-tone), uploads and analysis still work. {InstallAdvice}";

    /// <summary>Throws <see cref="TorchRuntimeLoadException"/> explaining what to install when files are missing.</summary>
    public static void EnsureAvailable()
    {
        if (Describe(Missing()) is { } problem)
            throw new TorchRuntimeLoadException(problem);
    }

    private static bool CanLoad(string library)
    {
        // Loaded by name, so Windows searches the app folder and System32 the way it will for torch_cpu.dll. The
        // handle is kept: libtorch loads the same files a moment later.
        return NativeLibrary.TryLoad(library, typeof(VisualCppRuntime).Assembly, DllImportSearchPath.ApplicationDirectory | DllImportSearchPath.System32, out _);
    }
}
