using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Xlib reports failures asynchronously (through X11ErrorTrap), not in the return values of these calls.
#pragma warning disable CA1806

namespace AceStep.Plugin.Editor;

/// <summary>
/// Keeps X protocol errors on the editor's own connection from reaching Xlib's default handler, which ends the
/// process: a host may destroy its parent window (and ours with it) before it calls removed(). Installed only around
/// the editor's own X calls, which end with an XSync so their errors arrive inside; the host's handler is put back.
/// </summary>
internal readonly unsafe ref struct X11ErrorTrap
{
    [ThreadStatic]
    private static int t_errors;

    private readonly nint _display;
    private readonly nint _previous;

    public X11ErrorTrap(nint display)
    {
        _display = display;
        _previous = X11Native.XSetErrorHandler((nint)(delegate* unmanaged[Cdecl]<nint, void*, int>)&OnError);
    }

    /// <summary>Errors trapped on this thread so far.</summary>
    public static int Errors => t_errors;

    public void Dispose()
    {
        X11Native.XSync(_display, 0);
        X11Native.XSetErrorHandler(_previous);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnError(nint display, void* error)
    {
        t_errors++;
        return 0;
    }
}
