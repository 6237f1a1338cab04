using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace AceStep.Plugin.Editor;

/// <summary>
/// What every editor of the process shares: Skia's native library, loaded from the folder of the plugin's own .so
/// (the bundle's Contents/&lt;arch&gt;-linux/libSkiaSharp.so — a host's library path knows nothing of it), and the fonts.
/// When either cannot be had, <see cref="Available"/> is false and the controller offers no editor (hosts then show
/// their generic parameter UI), so a missing library never keeps the plugin from loading.
/// </summary>
internal static unsafe class EditorResources
{
    private static readonly Lazy<EditorFonts?> s_fonts = new(LoadFonts);
    private static int s_resolverSet;

    public static bool Available => s_fonts.Value is not null;

    public static EditorFonts Fonts => s_fonts.Value ?? throw new InvalidOperationException("The editor's drawing library is not available.");

    /// <summary>The directory of the module this code was linked into (the plugin .so, or its .vst3 DLL on Windows), or null.</summary>
    public static string? ModuleDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Win32ModuleFile.Directory();
        DlInfo info;
        if (dladdr((void*)(delegate* unmanaged[Cdecl]<void>)&Anchor, &info) == 0 || info.FileName == 0)
            return null;
        string? path = Marshal.PtrToStringUTF8(info.FileName);
        return path is null ? null : Path.GetDirectoryName(Path.GetFullPath(path));
    }

    private static EditorFonts? LoadFonts()
    {
        try
        {
            if (Interlocked.Exchange(ref s_resolverSet, 1) == 0 && RuntimeFeature.IsDynamicCodeSupported is false)
                NativeLibrary.SetDllImportResolver(typeof(SKCanvas).Assembly, ResolveSkia);
            return EditorFonts.System();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static nint ResolveSkia(string name, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.Contains("SkiaSharp", StringComparison.Ordinal) || ModuleDirectory() is not { } directory)
            return 0;
        string file = Path.Combine(directory, OperatingSystem.IsWindows() ? "libSkiaSharp.dll" : OperatingSystem.IsMacOS() ? "libSkiaSharp.dylib" : "libSkiaSharp.so");
        return NativeLibrary.TryLoad(file, out var handle) ? handle : 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Anchor()
    {
    }

    [DllImport("libc", EntryPoint = "dladdr")]
    private static extern int dladdr(void* address, DlInfo* info);

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint FileName;
        public nint BaseAddress;
        public nint SymbolName;
        public nint SymbolAddress;
    }
}
