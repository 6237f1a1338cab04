using System.Runtime.InteropServices;

namespace AceStep.Wine.PluginHost;

/// <summary>The window calls both checks make for the top-level windows they create (the editor's parent, the drop target).</summary>
internal static unsafe class TopLevelWindows
{
    [DllImport("kernel32")]
    internal static extern nint GetModuleHandleW(char* name);

    [DllImport("user32")]
    internal static extern nint CreateWindowExW(uint exStyle, char* className, char* title, uint style, int x, int y, int width, int height, nint parent, nint menu, nint instance, nint param);

    [DllImport("user32")]
    internal static extern int DestroyWindow(nint hwnd);
}
