namespace AceStep.Vst3;

/// <summary>How a VST3 binary encodes result codes and interface identifiers.</summary>
public enum Vst3Encoding
{
    /// <summary>Linux and macOS (<c>COM_COMPATIBLE 0</c>): small result codes, TUIDs as four big-endian uint32s.</summary>
    NonCom = 0,

    /// <summary>Windows (<c>COM_COMPATIBLE 1</c>): HRESULT result codes, TUIDs in GUID memory layout.</summary>
    Com = 1,
}

/// <summary>The single switch that picks the encoding of the platform the code runs on.</summary>
public static class Vst3Platform
{
    /// <summary>The encoding used by VST3 binaries on the current operating system.</summary>
    public static Vst3Encoding Encoding { get; } = OperatingSystem.IsWindows() ? Vst3Encoding.Com : Vst3Encoding.NonCom;

    /// <summary>
    /// The architecture folder inside <c>Bundle.vst3/Contents</c> for the current process (<c>x86_64-win</c> on 64-bit
    /// Windows, <c>uname -m</c> + <c>-linux</c> on Linux), or <see langword="null"/> when we know no folder for it.
    /// </summary>
    public static string? CurrentArchitectureFolder =>
        GetArchitectureFolder(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture, OperatingSystem.IsWindows());

    /// <summary>The Linux architecture folder name for <paramref name="architecture"/>, as <c>uname -m</c> spells it.</summary>
    /// <param name="architecture">A process architecture.</param>
    /// <returns>For example <c>x86_64-linux</c>; <see langword="null"/> for architectures without a known name.</returns>
    public static string? GetArchitectureFolder(System.Runtime.InteropServices.Architecture architecture) =>
        GetArchitectureFolder(architecture, windows: false);

    /// <summary>The architecture folder for <paramref name="architecture"/> on Windows (<paramref name="windows"/>) or
    /// Linux, as the VST3 SDK names them (<c>x86_64-win</c>, <c>arm64-win</c>, <c>x86-win</c>; <c>x86_64-linux</c>, …).</summary>
    /// <param name="architecture">A process architecture.</param>
    /// <param name="windows">Windows names rather than Linux ones.</param>
    /// <returns>The folder name; <see langword="null"/> for architectures without a known name.</returns>
    public static string? GetArchitectureFolder(System.Runtime.InteropServices.Architecture architecture, bool windows) => windows
        ? architecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x86_64-win",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64-win",
            System.Runtime.InteropServices.Architecture.X86 => "x86-win",
            _ => null,
        }
        : architecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x86_64-linux",
            System.Runtime.InteropServices.Architecture.Arm64 => "aarch64-linux",
            System.Runtime.InteropServices.Architecture.X86 => "i386-linux",
            System.Runtime.InteropServices.Architecture.Arm => "armv7l-linux",
            System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64-linux",
            System.Runtime.InteropServices.Architecture.LoongArch64 => "loongarch64-linux",
            _ => null,
        };

    /// <summary>The module file inside the architecture folder: <c>Name.vst3</c> (a DLL) on Windows, <c>Name.so</c> on Linux.</summary>
    /// <param name="bundleName">The bundle stem, <c>Name</c>.</param>
    /// <param name="windows">Windows rather than Linux.</param>
    /// <returns>The file name.</returns>
    public static string GetLibraryFileName(string bundleName, bool windows) => bundleName + (windows ? ".vst3" : ".so");
}
