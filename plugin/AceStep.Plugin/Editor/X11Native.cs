using System.Runtime.InteropServices;

// Xlib reports failures asynchronously (through X11ErrorTrap), not in the return values of these calls.
#pragma warning disable CA1806

namespace AceStep.Plugin.Editor;

/// <summary>
/// The few Xlib calls the Linux editor makes (libX11.so.6, resolved when the first editor opens, so a host without X
/// still loads the plugin). Struct fields are read at their LP64 offsets (x86-64 and arm64 Linux).
/// </summary>
internal static unsafe partial class X11Native
{
    private const string Lib = "libX11.so.6";

    public const int KeyPress = 2;
    public const int KeyRelease = 3;
    public const int ButtonPress = 4;
    public const int ButtonRelease = 5;
    public const int MotionNotify = 6;
    public const int LeaveNotify = 8;
    public const int FocusIn = 9;
    public const int FocusOut = 10;
    public const int Expose = 12;
    public const int DestroyNotify = 17;
    public const int MapNotify = 19;
    public const int ConfigureNotify = 22;
    public const int SelectionClear = 29;
    public const int SelectionRequest = 30;
    public const int SelectionNotify = 31;
    public const int ClientMessage = 33;
    public const int MappingNotify = 34;

    public const long KeyPressMask = 1L << 0;
    public const long KeyReleaseMask = 1L << 1;
    public const long ButtonPressMask = 1L << 2;
    public const long ButtonReleaseMask = 1L << 3;
    public const long LeaveWindowMask = 1L << 5;
    public const long PointerMotionMask = 1L << 6;
    public const long ExposureMask = 1L << 15;
    public const long StructureNotifyMask = 1L << 17;
    public const long FocusChangeMask = 1L << 21;

    public const uint ShiftMask = 1;
    public const uint ControlMask = 4;
    public const uint Mod1Mask = 8;

    public const int ZPixmap = 2;
    public const int RevertToParent = 2;
    public const int PropModeReplace = 0;
    public const nint XA_ATOM = 4;
    public const nint XA_STRING = 31;
    public const nint XA_WINDOW = 33;
    public const int GrabModeAsync = 1;
    public const int GrabSuccess = 0;
    public const uint XC_fleur = 52;
    public const uint XK_Escape = 0xff1b;
    public const long XIMPreeditNothing = 0x0008;
    public const long XIMStatusNothing = 0x0400;

    /// <summary>An <c>XEvent</c>: a union of 24 longs.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 192)]
    public struct XEvent
    {
        public int Type;
    }

    [LibraryImport(Lib)]
    public static partial nint XOpenDisplay(nint name);

    [LibraryImport(Lib)]
    public static partial int XCloseDisplay(nint display);

    [LibraryImport(Lib)]
    public static partial int XConnectionNumber(nint display);

    [LibraryImport(Lib)]
    public static partial int XDefaultScreen(nint display);

    [LibraryImport(Lib)]
    public static partial nuint XBlackPixel(nint display, int screen);

    [LibraryImport(Lib)]
    public static partial nuint XCreateSimpleWindow(nint display, nuint parent, int x, int y, uint width, uint height, uint borderWidth, nuint border, nuint background);

    [LibraryImport(Lib)]
    public static partial int XSelectInput(nint display, nuint window, nint mask);

    [LibraryImport(Lib)]
    public static partial int XMapRaised(nint display, nuint window);

    [LibraryImport(Lib)]
    public static partial int XDestroyWindow(nint display, nuint window);

    [LibraryImport(Lib)]
    public static partial int XResizeWindow(nint display, nuint window, uint width, uint height);

    [LibraryImport(Lib)]
    public static partial int XFlush(nint display);

    [LibraryImport(Lib)]
    public static partial int XSync(nint display, int discard);

    [LibraryImport(Lib)]
    public static partial int XPending(nint display);

    [LibraryImport(Lib)]
    public static partial int XNextEvent(nint display, XEvent* e);

    [LibraryImport(Lib)]
    public static partial int XFilterEvent(XEvent* e, nuint window);

    [LibraryImport(Lib)]
    public static partial nint XCreateGC(nint display, nuint drawable, nuint mask, nint values);

    [LibraryImport(Lib)]
    public static partial int XFreeGC(nint display, nint gc);

    [LibraryImport(Lib)]
    public static partial int XInitImage(void* image);

    [LibraryImport(Lib)]
    public static partial int XPutImage(nint display, nuint drawable, nint gc, void* image, int srcX, int srcY, int destX, int destY, uint width, uint height);

    [LibraryImport(Lib)]
    public static partial int XGetWindowAttributes(nint display, nuint window, void* attributes);

    [LibraryImport(Lib)]
    public static partial int XSetInputFocus(nint display, nuint window, int revertTo, nuint time);

    [LibraryImport(Lib)]
    public static partial int XLookupString(XEvent* e, byte* buffer, int length, nuint* keysym, nint status);

    [LibraryImport(Lib)]
    public static partial nint XSetLocaleModifiers(byte* modifiers);

    [LibraryImport(Lib)]
    public static partial nint XOpenIM(nint display, nint db, nint resName, nint resClass);

    [LibraryImport(Lib)]
    public static partial int XCloseIM(nint im);

    /// <summary><c>XCreateIC</c> is variadic; its name/value list is passed as fixed pointer-sized arguments (the LP64 calling conventions pass both alike).</summary>
    [LibraryImport(Lib)]
    public static partial nint XCreateIC(nint im, byte* name1, nint value1, byte* name2, nint value2, byte* name3, nint value3, nint end);

    [LibraryImport(Lib)]
    public static partial void XDestroyIC(nint ic);

    [LibraryImport(Lib)]
    public static partial void XSetICFocus(nint ic);

    [LibraryImport(Lib)]
    public static partial void XUnsetICFocus(nint ic);

    [LibraryImport(Lib)]
    public static partial int Xutf8LookupString(nint ic, XEvent* e, byte* buffer, int length, nuint* keysym, int* status);

    [LibraryImport(Lib)]
    public static partial nint XInternAtom(nint display, byte* name, int onlyIfExists);

    [LibraryImport(Lib)]
    public static partial int XSetSelectionOwner(nint display, nint selection, nuint owner, nuint time);

    [LibraryImport(Lib)]
    public static partial nuint XGetSelectionOwner(nint display, nint selection);

    [LibraryImport(Lib)]
    public static partial int XConvertSelection(nint display, nint selection, nint target, nint property, nuint requestor, nuint time);

    [LibraryImport(Lib)]
    public static partial int XChangeProperty(nint display, nuint window, nint property, nint type, int format, int mode, void* data, int elements);

    [LibraryImport(Lib)]
    public static partial int XGetWindowProperty(nint display, nuint window, nint property, nint offset, nint length, int delete, nint type,
        nint* actualType, int* actualFormat, nuint* items, nuint* bytesAfter, byte** data);

    [LibraryImport(Lib)]
    public static partial int XSendEvent(nint display, nuint window, int propagate, nint mask, XEvent* e);

    [LibraryImport(Lib)]
    public static partial int XFree(void* data);

    [LibraryImport(Lib)]
    public static partial int XRefreshKeyboardMapping(XEvent* e);

    [LibraryImport(Lib)]
    public static partial nint XSetErrorHandler(nint handler);

    [LibraryImport(Lib)]
    public static partial nuint XDefaultRootWindow(nint display);

    [LibraryImport(Lib)]
    public static partial int XTranslateCoordinates(nint display, nuint source, nuint destination, int x, int y, int* destinationX, int* destinationY, nuint* child);

    [LibraryImport(Lib)]
    public static partial int XGrabPointer(nint display, nuint window, int ownerEvents, uint eventMask, int pointerMode, int keyboardMode, nuint confineTo, nuint cursor, nuint time);

    [LibraryImport(Lib)]
    public static partial int XUngrabPointer(nint display, nuint time);

    [LibraryImport(Lib)]
    public static partial int XGrabKeyboard(nint display, nuint window, int ownerEvents, int pointerMode, int keyboardMode, nuint time);

    [LibraryImport(Lib)]
    public static partial int XUngrabKeyboard(nint display, nuint time);

    [LibraryImport(Lib)]
    public static partial nuint XCreateFontCursor(nint display, uint shape);

    [LibraryImport(Lib)]
    public static partial int XFreeCursor(nint display, nuint cursor);

    [LibraryImport(Lib)]
    public static partial nuint XLookupKeysym(XEvent* e, int index);

    /// <summary>A field of an event at a byte offset.</summary>
    public static T Field<T>(XEvent* e, int offset)
        where T : unmanaged => *(T*)((byte*)e + offset);

    public static void SetField<T>(XEvent* e, int offset, T value)
        where T : unmanaged => *(T*)((byte*)e + offset) = value;

    /// <summary>
    /// The fields of a SelectionRequest event (the clipboard's and the drag's selection owners answer the same way);
    /// an obsolete requestor's property 0 means "use the target's name" (ICCCM 2.2).
    /// </summary>
    public readonly record struct SelectionRequestFields(nuint Requestor, nint Selection, nint Target, nint Property, nuint Time)
    {
        /// <summary>Reads the request from its event.</summary>
        public static SelectionRequestFields Of(XEvent* e)
        {
            nint target = Field<nint>(e, 56);
            nint property = Field<nint>(e, 64);
            return new(Field<nuint>(e, 40), Field<nint>(e, 48), target, property == 0 ? target : property, Field<nuint>(e, 72));
        }

        /// <summary>Stores <paramref name="count"/> atoms (the TARGETS answer) in the requestor's property.</summary>
        public void WriteAtoms(nint display, nint* atoms, int count) =>
            XChangeProperty(display, Requestor, Property, XA_ATOM, 32, PropModeReplace, atoms, count);

        /// <summary>Stores <paramref name="bytes"/> as the requested target's 8-bit data.</summary>
        public void WriteBytes(nint display, byte[] bytes)
        {
            fixed (byte* data = bytes)
                XChangeProperty(display, Requestor, Property, Target, 8, PropModeReplace, data, bytes.Length);
        }

        /// <summary>Tells the requestor the answer is there, or (<paramref name="refused"/>) that the target is refused.</summary>
        public void Notify(nint display, bool refused) =>
            SendSelectionNotify(display, Requestor, Selection, Target, refused ? 0 : Property, Time);
    }

    /// <summary>Answers a SelectionRequest: <paramref name="property"/> holds the data, or 0 when the target was refused.</summary>
    public static void SendSelectionNotify(nint display, nuint requestor, nint selection, nint target, nint property, nuint time)
    {
        XEvent reply = default;
        XEvent* r = &reply;
        r->Type = SelectionNotify;
        SetField(r, 32, requestor);
        SetField(r, 40, selection);
        SetField(r, 48, target);
        SetField(r, 56, property);
        SetField(r, 64, time);
        XSendEvent(display, requestor, 0, 0, r);
        XFlush(display);
    }

    public static nint Atom(nint display, string name)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
            return XInternAtom(display, p, 0);
    }
}
