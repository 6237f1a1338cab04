using System.Runtime.InteropServices;

namespace AceStep.Plugin.Tests;

/// <summary>The Xlib and XTest calls the tests' own X clients make (the Xvfb fixture and the XDND drop target).</summary>
internal static unsafe class Xlib
{
    private const string X11 = "libX11.so.6";
    private const string Xtst = "libXtst.so.6";

    [DllImport("libc")]
    internal static extern int setenv(string name, string value, int overwrite);

    [DllImport(X11)]
    internal static extern nint XOpenDisplay(byte* name);

    [DllImport(X11)]
    internal static extern int XCloseDisplay(nint display);

    [DllImport(X11)]
    internal static extern nuint XDefaultRootWindow(nint display);

    [DllImport(X11)]
    internal static extern nuint XCreateSimpleWindow(nint display, nuint parent, int x, int y, uint width, uint height, uint border, nuint borderColor, nuint background);

    [DllImport(X11)]
    internal static extern int XMapWindow(nint display, nuint window);

    [DllImport(X11)]
    internal static extern int XDestroyWindow(nint display, nuint window);

    [DllImport(X11)]
    internal static extern int XSync(nint display, int discard);

    [DllImport(X11)]
    internal static extern int XQueryTree(nint display, nuint window, nuint* root, nuint* parent, nuint** children, uint* count);

    [DllImport(X11)]
    internal static extern int XFree(void* data);

    [DllImport(X11)]
    internal static extern void* XGetImage(nint display, nuint drawable, int x, int y, uint width, uint height, nuint planes, int format);

    [DllImport(X11)]
    internal static extern int XDisplayKeycodes(nint display, int* min, int* max);

    [DllImport(X11)]
    internal static extern nuint* XGetKeyboardMapping(nint display, byte first, int count, int* keysymsPerKeycode);

    [DllImport(X11)]
    internal static extern int XChangeKeyboardMapping(nint display, int first, int keysymsPerKeycode, nuint* keysyms, int count);

    [DllImport(X11)]
    internal static extern int XGetWindowAttributes(nint display, nuint window, void* attributes);

    [DllImport(X11)]
    internal static extern int XMapRaised(nint display, nuint window);

    [DllImport(X11)]
    internal static extern int XFlush(nint display);

    [DllImport(X11)]
    internal static extern int XPending(nint display);

    [DllImport(X11)]
    internal static extern int XNextEvent(nint display, byte* e);

    [DllImport(X11)]
    internal static extern int XSendEvent(nint display, nuint window, int propagate, nint mask, byte* e);

    [DllImport(X11)]
    internal static extern nint XInternAtom(nint display, byte* name, int onlyIfExists);

    [DllImport(X11)]
    internal static extern byte* XGetAtomName(nint display, nint atom);

    [DllImport(X11)]
    internal static extern int XChangeProperty(nint display, nuint window, nint property, nint type, int format, int mode, void* data, int elements);

    [DllImport(X11)]
    internal static extern int XGetWindowProperty(nint display, nuint window, nint property, nint offset, nint length, int delete, nint type,
        nint* actualType, int* actualFormat, nuint* items, nuint* bytesAfter, byte** data);

    [DllImport(X11)]
    internal static extern int XConvertSelection(nint display, nint selection, nint target, nint property, nuint requestor, nuint time);

    [DllImport(X11)]
    internal static extern int XTranslateCoordinates(nint display, nuint source, nuint destination, int x, int y, int* destinationX, int* destinationY, nuint* child);

    [DllImport(X11)]
    internal static extern byte XKeysymToKeycode(nint display, nuint keysym);

    [DllImport(Xtst)]
    internal static extern int XTestFakeMotionEvent(nint display, int screen, int x, int y, nuint delay);

    [DllImport(Xtst)]
    internal static extern int XTestFakeButtonEvent(nint display, uint button, int press, nuint delay);

    [DllImport(Xtst)]
    internal static extern int XTestFakeKeyEvent(nint display, uint keycode, int press, nuint delay);
}
