using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AceStep.Plugin.Session;

/// <summary>Opens an address in the user's browser: <c>xdg-open</c> on Linux, <c>open</c> on macOS, the shell on Windows.</summary>
internal static class Browser
{
    /// <summary>Starts the browser (best effort: a desktop without one leaves the address in the parameter's text).</summary>
    public static void Open(Uri url)
    {
        try
        {
            var info = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new ProcessStartInfo(url.ToString()) { UseShellExecute = true }
                : new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open") { UseShellExecute = false };
            if (!info.UseShellExecute)
                info.ArgumentList.Add(url.ToString());
            using var _ = Process.Start(info);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            // No browser launcher: the address is still shown as the Open Control Page parameter's text.
        }
    }
}
