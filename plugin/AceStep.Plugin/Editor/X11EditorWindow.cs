using System.Runtime.InteropServices;
using System.Text;
using SkiaSharp;

// Xlib reports failures asynchronously (through X11ErrorTrap), not in the return values of these calls.
#pragma warning disable CA1806

namespace AceStep.Plugin.Editor;

/// <summary>
/// The Linux editor window: an X11 child of the host's <c>X11EmbedWindowID</c> on a connection of its own, drawn by
/// Skia into a software bitmap that XPutImage copies. It never reads the connection by itself: the host's IRunLoop
/// calls <see cref="ProcessEvents"/> when the fd is readable and the view's timer calls <see cref="Present"/>.
/// Keyboard text goes through an X input method (Xutf8LookupString: compose keys, accents, CJK input methods);
/// the CLIPBOARD selection is owned and converted the ICCCM way.
/// </summary>
internal sealed unsafe class X11EditorWindow : IEditorWindow
{
    private static readonly byte[] s_inputStyle = "inputStyle\0"u8.ToArray();
    private static readonly byte[] s_clientWindow = "clientWindow\0"u8.ToArray();
    private static readonly byte[] s_focusWindow = "focusWindow\0"u8.ToArray();

    private readonly Editor _editor;
    private nint _display;
    private nuint _window;
    private nint _gc;
    private nint _im;
    private nint _ic;
    private SKBitmap? _bitmap;
    private void* _image;
    private bool _mapped;
    private bool _gone;
    private int _depth = 24;

    private nint _clipboardAtom;
    private nint _utf8Atom;
    private nint _targetsAtom;
    private nint _pasteAtom;
    private string _clipboard = "";
    private Action<string>? _paste;

    // Drag and drop out of the window (a take's file): the XDND source, and the pointer's last root position and the
    // last event time, which a drag starts from.
    private X11DragSource? _drag;
    private int _rootX;
    private int _rootY;
    private nuint _time;

    public X11EditorWindow(Editor editor) => _editor = editor;

    public int EventFd => _display == 0 ? -1 : X11Native.XConnectionNumber(_display);

    /// <summary>The X window id (tests find the window by it).</summary>
    public nuint WindowId => _window;

    public bool Open(nint parent, int width, int height)
    {
        _display = X11Native.XOpenDisplay(0);
        if (_display == 0)
            return false;
        using (new X11ErrorTrap(_display))
        {
            int screen = X11Native.XDefaultScreen(_display);
            _window = X11Native.XCreateSimpleWindow(_display, (nuint)parent, 0, 0, (uint)width, (uint)height, 0, 0,
                X11Native.XBlackPixel(_display, screen));
            X11Native.XSelectInput(_display, _window, (nint)(X11Native.KeyPressMask | X11Native.KeyReleaseMask | X11Native.ButtonPressMask
                | X11Native.ButtonReleaseMask | X11Native.PointerMotionMask | X11Native.LeaveWindowMask | X11Native.ExposureMask
                | X11Native.StructureNotifyMask | X11Native.FocusChangeMask));
            _gc = X11Native.XCreateGC(_display, _window, 0, 0);
            _clipboardAtom = X11Native.Atom(_display, "CLIPBOARD");
            _utf8Atom = X11Native.Atom(_display, "UTF8_STRING");
            _targetsAtom = X11Native.Atom(_display, "TARGETS");
            _pasteAtom = X11Native.Atom(_display, "ACESTEP_PASTE");
            OpenInputMethod();
            X11Native.XMapRaised(_display, _window);
        }

        if (X11ErrorTrap.Errors > 0 && _window == 0)
        {
            Dispose();
            return false;
        }

        ReadDepth();
        AllocateImage(width, height);
        _editor.SetSize(width, height);
        return true;
    }

    public void Resize(int width, int height)
    {
        if (_display == 0 || _gone)
            return;
        using (new X11ErrorTrap(_display))
            X11Native.XResizeWindow(_display, _window, (uint)width, (uint)height);
        AllocateImage(width, height);
        _editor.SetSize(width, height);
    }

    public void ProcessEvents()
    {
        if (_display == 0)
            return;
        using var trap = new X11ErrorTrap(_display);
        X11Native.XEvent e;
        while (X11Native.XPending(_display) > 0)
        {
            X11Native.XNextEvent(_display, &e);
            if (X11Native.XFilterEvent(&e, 0) != 0)
                continue;
            Handle(&e);
        }

        _drag?.CheckTimeout();
    }

    public void Present()
    {
        if (_display == 0 || _gone || !_mapped || !_editor.Dirty || _bitmap is null || _image == null)
            return;
        _editor.Dirty = false;
        using (var canvas = new SKCanvas(_bitmap))
            _editor.Render(canvas);
        using (new X11ErrorTrap(_display))
        {
            X11Native.XPutImage(_display, _window, _gc, _image, 0, 0, 0, 0, (uint)_bitmap.Width, (uint)_bitmap.Height);
            X11Native.XFlush(_display);
        }
    }

    /// <summary>Owns the CLIPBOARD selection with <paramref name="text"/>.</summary>
    public void SetClipboard(string text)
    {
        _clipboard = text;
        if (_display == 0 || _gone)
            return;
        using (new X11ErrorTrap(_display))
            X11Native.XSetSelectionOwner(_display, _clipboardAtom, _window, 0);
    }

    /// <summary>Asks the CLIPBOARD owner for its text; <paramref name="paste"/> gets it when the answer arrives.</summary>
    public void RequestClipboard(Action<string> paste)
    {
        if (_display == 0 || _gone)
            return;
        using (new X11ErrorTrap(_display))
        {
            nuint owner = X11Native.XGetSelectionOwner(_display, _clipboardAtom);
            if (owner == _window)
            {
                paste(_clipboard);
                return;
            }

            if (owner == 0)
                return;
            _paste = paste;
            X11Native.XConvertSelection(_display, _clipboardAtom, _utf8Atom, _pasteAtom, _window, 0);
            X11Native.XFlush(_display);
        }
    }

    /// <summary>
    /// XDND: the button is held on a take; the file is offered to the window the pointer is released over. The editor
    /// hears the end through <see cref="Editor.FileDragEnded"/>.
    /// </summary>
    public bool StartFileDrag(string path)
    {
        if (_display == 0 || _gone)
            return false;
        using (new X11ErrorTrap(_display))
        {
            _drag ??= new X11DragSource(_display, _window, _editor.FileDragEnded);
            return _drag.Start(path, _rootX, _rootY, _time);
        }
    }

    public void Dispose()
    {
        if (_display == 0)
            return;
        using (new X11ErrorTrap(_display))
        {
            _drag?.Close(0);
            _drag = null;
            if (_ic != 0)
                X11Native.XDestroyIC(_ic);
            if (_im != 0)
                X11Native.XCloseIM(_im);
            if (_gc != 0)
                X11Native.XFreeGC(_display, _gc);
            // The host may have destroyed its window (and ours with it) already; the trap swallows the BadWindow.
            if (_window != 0 && !_gone)
                X11Native.XDestroyWindow(_display, _window);
        }

        X11Native.XCloseDisplay(_display);
        _display = 0;
        _window = 0;
        FreeImage();
    }

    private void Handle(X11Native.XEvent* e)
    {
        if (e->Type is X11Native.ButtonPress or X11Native.ButtonRelease or X11Native.MotionNotify or X11Native.KeyPress)
        {
            // Pointer and key events share the layout up to here: time, root position.
            _time = X11Native.Field<nuint>(e, 56);
            _rootX = X11Native.Field<int>(e, 72);
            _rootY = X11Native.Field<int>(e, 76);
        }

        if (_drag is { FollowsPointer: true } drag && FollowDrag(drag, e))
            return;

        switch (e->Type)
        {
            case X11Native.Expose:
                _editor.Dirty = true;
                break;
            case X11Native.MapNotify:
                _mapped = true;
                _editor.Dirty = true;
                break;
            case X11Native.DestroyNotify when X11Native.Field<nuint>(e, 40) == _window:
                _gone = true;
                break;
            case X11Native.ConfigureNotify when X11Native.Field<nuint>(e, 40) == _window:
                int width = X11Native.Field<int>(e, 56);
                int height = X11Native.Field<int>(e, 60);
                if (_bitmap is not null && (width != _bitmap.Width || height != _bitmap.Height) && width > 0 && height > 0)
                {
                    AllocateImage(width, height);
                    _editor.SetSize(width, height);
                }

                break;
            case X11Native.ButtonPress:
                OnButton(e, down: true);
                break;
            case X11Native.ButtonRelease:
                OnButton(e, down: false);
                break;
            case X11Native.MotionNotify:
                _editor.PointerMove(X11Native.Field<int>(e, 64), X11Native.Field<int>(e, 68));
                break;
            case X11Native.KeyPress:
                OnKey(e);
                break;
            case X11Native.FocusIn:
                if (_ic != 0)
                    X11Native.XSetICFocus(_ic);
                break;
            // XFocusChangeEvent.detail (offset 44): NotifyInferior (2, focus went to a window inside ours) and
            // NotifyPointer (5, the pointer-root focus the window had while under the pointer, left when a click gives
            // it the focus itself) keep the keyboard here; closing an open list on them would close it as it opens.
            case X11Native.FocusOut when X11Native.Field<int>(e, 44) is 2 or 5:
                break;
            case X11Native.FocusOut:
                if (_ic != 0)
                    X11Native.XUnsetICFocus(_ic);
                _editor.FocusLost();
                break;
            case X11Native.SelectionRequest when _drag is not null && X11Native.Field<nint>(e, 48) == _drag.Selection:
                _drag.AnswerSelection(e);
                break;
            case X11Native.SelectionRequest:
                AnswerSelection(e);
                break;
            case X11Native.ClientMessage:
                _drag?.ClientMessage(e);
                break;
            case X11Native.SelectionNotify:
                ReceivePaste(e);
                break;
            case X11Native.MappingNotify:
                // The keyboard map changed (a layout switch; xdotool maps characters it types to a spare key).
                X11Native.XRefreshKeyboardMapping(e);
                break;
        }
    }

    // While the button is held in a drag, the pointer and keyboard belong to it (grabbed): motion goes to the target
    // search, the release drops, Escape cancels, other keys and buttons do nothing.
    private bool FollowDrag(X11DragSource drag, X11Native.XEvent* e)
    {
        switch (e->Type)
        {
            case X11Native.MotionNotify:
                drag.Motion(_rootX, _rootY, _time);
                return true;
            case X11Native.ButtonRelease when X11Native.Field<uint>(e, 84) == 1:
                drag.Release(_time);
                return true;
            case X11Native.KeyPress:
                if (X11Native.XLookupKeysym(e, 0) == X11Native.XK_Escape)
                    drag.Cancel(_time);
                return true;
            case X11Native.ButtonPress or X11Native.ButtonRelease or X11Native.KeyRelease:
                return true;
            default:
                return false;
        }
    }

    private void OnButton(X11Native.XEvent* e, bool down)
    {
        int x = X11Native.Field<int>(e, 64);
        int y = X11Native.Field<int>(e, 68);
        uint button = X11Native.Field<uint>(e, 84);
        if (button is 4 or 5)
        {
            if (down)
                _editor.Wheel(x, y, button == 4 ? 1 : -1);
            return;
        }

        var which = button switch { 1 => PointerButton.Left, 2 => PointerButton.Middle, _ => PointerButton.Right };
        if (down)
        {
            // Clicking the editor gives it the keyboard, as a text box in any other window would.
            if (_mapped)
                X11Native.XSetInputFocus(_display, _window, X11Native.RevertToParent, 0);
            _editor.PointerDown(x, y, which, ModifiersOf(X11Native.Field<uint>(e, 80)));
        }
        else
        {
            _editor.PointerUp(x, y);
        }
    }

    private void OnKey(X11Native.XEvent* e)
    {
        uint state = X11Native.Field<uint>(e, 80);
        byte* buffer = stackalloc byte[256];
        nuint keysym = 0;
        int length;
        if (_ic != 0)
        {
            int status;
            length = X11Native.Xutf8LookupString(_ic, e, buffer, 255, &keysym, &status);
            if (status == -1)
                length = 0; // XBufferOverflow: a composed text longer than any key gives
        }
        else
        {
            length = X11Native.XLookupString(e, buffer, 255, &keysym, 0);
        }

        var modifiers = ModifiersOf(state);
        var key = X11Keys.ToEditorKey((uint)keysym, (modifiers & Modifiers.Control) != 0);
        if (key != EditorKey.None)
        {
            _editor.KeyDown(key, modifiers);
            return;
        }

        if ((modifiers & Modifiers.Control) != 0 || length <= 0)
        {
            if (length <= 0 && X11Keys.ToText((uint)keysym) is { } fromKeysym && (modifiers & Modifiers.Control) == 0)
                _editor.TextInput(fromKeysym);
            return;
        }

        string text = _ic != 0 ? Encoding.UTF8.GetString(buffer, length) : X11Keys.ToText((uint)keysym) ?? Encoding.Latin1.GetString(buffer, length);
        _editor.TextInput(text);
    }

    private static Modifiers ModifiersOf(uint state) =>
        ((state & X11Native.ShiftMask) != 0 ? Modifiers.Shift : Modifiers.None)
        | ((state & X11Native.ControlMask) != 0 ? Modifiers.Control : Modifiers.None)
        | ((state & X11Native.Mod1Mask) != 0 ? Modifiers.Alt : Modifiers.None);

    private void AnswerSelection(X11Native.XEvent* e)
    {
        var request = X11Native.SelectionRequestFields.Of(e);
        bool refused = false;
        if (request.Target == _targetsAtom)
        {
            nint* atoms = stackalloc nint[3] { _targetsAtom, _utf8Atom, X11Native.XA_STRING };
            request.WriteAtoms(_display, atoms, 3);
        }
        else if (request.Target == _utf8Atom || request.Target == X11Native.XA_STRING)
        {
            request.WriteBytes(_display, request.Target == _utf8Atom ? Encoding.UTF8.GetBytes(_clipboard) : Encoding.Latin1.GetBytes(_clipboard));
        }
        else
        {
            refused = true;
        }

        request.Notify(_display, refused);
    }

    private void ReceivePaste(X11Native.XEvent* e)
    {
        var paste = _paste;
        _paste = null;
        if (paste is null || X11Native.Field<nint>(e, 56) == 0)
            return;
        nint type;
        int format;
        nuint items;
        nuint after;
        byte* data = null;
        if (X11Native.XGetWindowProperty(_display, _window, _pasteAtom, 0, 1 << 20, 1, 0, &type, &format, &items, &after, &data) != 0 || data == null)
            return;
        try
        {
            if (format == 8)
                paste(Encoding.UTF8.GetString(data, (int)items));
        }
        finally
        {
            X11Native.XFree(data);
        }
    }

    private void OpenInputMethod()
    {
        // An input method gives composed text (dead keys, compose sequences, IBus/fcitx for CJK); without one the
        // keysyms are mapped to text directly.
        fixed (byte* empty = "\0"u8)
            X11Native.XSetLocaleModifiers(empty);
        _im = X11Native.XOpenIM(_display, 0, 0, 0);
        if (_im == 0)
            return;
        fixed (byte* style = s_inputStyle)
        fixed (byte* client = s_clientWindow)
        fixed (byte* focus = s_focusWindow)
            _ic = X11Native.XCreateIC(_im, style, (nint)(X11Native.XIMPreeditNothing | X11Native.XIMStatusNothing), client, (nint)_window, focus, (nint)_window, 0);
    }

    private void ReadDepth()
    {
        // XWindowAttributes: x, y, width, height, border_width, depth (int at 20).
        byte* attributes = stackalloc byte[256];
        using (new X11ErrorTrap(_display))
        {
            if (X11Native.XGetWindowAttributes(_display, _window, attributes) != 0)
                _depth = *(int*)(attributes + 20);
        }
    }

    // A 32-bit-per-pixel ZPixmap XImage over the Skia bitmap's pixels (BGRA in memory = 0xAARRGGBB little-endian,
    // what TrueColor visuals of depth 24 and 32 use).
    private void AllocateImage(int width, int height)
    {
        FreeImage();
        width = Math.Max(1, width);
        height = Math.Max(1, height);
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        byte* image = (byte*)NativeMemory.AllocZeroed(256);
        *(int*)(image + 0) = width;
        *(int*)(image + 4) = height;
        *(int*)(image + 8) = 0; // xoffset
        *(int*)(image + 12) = X11Native.ZPixmap;
        *(nint*)(image + 16) = _bitmap.GetPixels();
        *(int*)(image + 24) = 0; // byte_order LSBFirst
        *(int*)(image + 28) = 32; // bitmap_unit
        *(int*)(image + 32) = 0; // bitmap_bit_order LSBFirst
        *(int*)(image + 36) = 32; // bitmap_pad
        *(int*)(image + 40) = _depth is 24 or 32 ? _depth : 24;
        *(int*)(image + 44) = _bitmap.RowBytes;
        *(int*)(image + 48) = 32; // bits_per_pixel
        *(nuint*)(image + 56) = 0xFF0000;
        *(nuint*)(image + 64) = 0x00FF00;
        *(nuint*)(image + 72) = 0x0000FF;
        X11Native.XInitImage(image);
        _image = image;
        _editor.Dirty = true;
    }

    private void FreeImage()
    {
        if (_image != null)
        {
            NativeMemory.Free(_image);
            _image = null;
        }

        _bitmap?.Dispose();
        _bitmap = null;
    }
}
