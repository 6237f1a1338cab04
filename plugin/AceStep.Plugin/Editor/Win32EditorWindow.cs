using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using SkiaSharp;

// A failed paint, timer or window call leaves nothing different to do; the return values are not checked.
#pragma warning disable CA1806

namespace AceStep.Plugin.Editor;

/// <summary>
/// The Windows attachment (<c>HWND</c>): a child window whose window procedure feeds the same <see cref="Editor"/>,
/// a <c>SetTimer</c> for the view's tick, and <c>SetDIBitsToDevice</c> for the Skia bitmap. The host's message loop
/// delivers everything, so <see cref="EventFd"/> is -1; a take is dragged out with <see cref="Win32DragSource"/>.
/// Compiled on every platform; it has run under Wine (scripts/wine-check.sh) but not on Windows yet, so the view
/// offers it only with <c>ACESTEP_EDITOR_WIN32=1</c> (docs/plugin-editor.md).
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed unsafe class Win32EditorWindow : IEditorWindow
{
    private const uint WsChild = 0x40000000;
    private const uint WsVisible = 0x10000000;
    private const uint WsClipChildren = 0x02000000;
    private const int GwlpUserData = -21;
    private const uint WmDestroy = 0x0002;
    private const uint WmSize = 0x0005;
    private const uint WmKillFocus = 0x0008;
    private const uint WmPaint = 0x000F;
    private const uint WmEraseBackground = 0x0014;
    private const uint WmKeyDown = 0x0100;
    private const uint WmChar = 0x0102;
    private const uint WmTimer = 0x0113;
    private const uint WmMouseMove = 0x0200;
    private const uint WmLButtonDown = 0x0201;
    private const uint WmLButtonUp = 0x0202;
    private const uint WmMouseWheel = 0x020A;
    /// <summary>Posted to itself to start a prepared file drag once the mouse-move that asked for it has returned.</summary>
    private const uint WmStartFileDrag = 0x8000 + 0x0653; // WM_APP + a private number (WM_APP..0xBFFF is ours)
    private const nuint TimerId = 1;
    private const uint BitmapInfoHeaderSize = 40;
    private static readonly string s_className = "AceStepEditor";
    private static int s_registered;

    private readonly Editor _editor;
    private readonly Action _tick;
    private readonly Win32DragSource _drag = new();
    private nint _hwnd;
    private GCHandle _self;
    private SKBitmap? _bitmap;
    private char _highSurrogate;

    public Win32EditorWindow(Editor editor, Action tick)
    {
        _editor = editor;
        _tick = tick;
    }

    public int EventFd => -1;

    public bool Open(nint parent, int width, int height)
    {
        nint instance = GetModuleHandleW(null);
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            fixed (char* name = s_className)
            {
                var windowClass = new WndClassEx
                {
                    Size = (uint)sizeof(WndClassEx),
                    WndProc = (nint)(delegate* unmanaged[Stdcall]<nint, uint, nuint, nint, nint>)&WndProc,
                    Instance = instance,
                    Cursor = LoadCursorW(0, 32512), // IDC_ARROW
                    ClassName = name,
                };
                RegisterClassExW(&windowClass);
            }
        }

        _self = GCHandle.Alloc(this);
        fixed (char* name = s_className)
            _hwnd = CreateWindowExW(0, name, null, WsChild | WsVisible | WsClipChildren, 0, 0, width, height, parent, 0, instance, 0);
        if (_hwnd == 0)
        {
            _self.Free();
            return false;
        }

        SetWindowLongPtrW(_hwnd, GwlpUserData, GCHandle.ToIntPtr(_self));
        SetTimer(_hwnd, TimerId, 30, 0);
        Allocate(width, height);
        return true;
    }

    public void Resize(int width, int height)
    {
        if (_hwnd != 0)
            SetWindowPos(_hwnd, 0, 0, 0, width, height, 0x0002 | 0x0004 | 0x0010); // NOMOVE | NOZORDER | NOACTIVATE
        Allocate(width, height);
    }

    public void ProcessEvents()
    {
        // The host's message loop calls the window procedure.
    }

    public void Present()
    {
        if (_hwnd != 0 && _editor.Dirty)
            InvalidateRect(_hwnd, null, 0);
    }

    /// <summary>
    /// Drags <paramref name="path"/> out as an OLE file drop. Called from the window procedure's mouse-move (through
    /// the editor): it only gets OLE ready and posts <c>WmStartFileDrag</c>, so the editor records the drag first and
    /// the modal <c>DoDragDrop</c> runs from a message of its own; its end reaches <see cref="Editor.FileDragEnded"/>.
    /// </summary>
    public bool StartFileDrag(string path)
    {
        if (_hwnd == 0 || !_drag.Prepare(path))
            return false;
        if (PostMessageW(_hwnd, WmStartFileDrag, 0, 0) != 0)
            return true;
        _drag.Abandon();
        return false;
    }

    public void Dispose()
    {
        _drag.Abandon();
        if (_hwnd != 0)
        {
            KillTimer(_hwnd, TimerId);
            SetWindowLongPtrW(_hwnd, GwlpUserData, 0);
            DestroyWindow(_hwnd);
            _hwnd = 0;
        }

        if (_self.IsAllocated)
            _self.Free();
        _bitmap?.Dispose();
        _bitmap = null;
    }

    private void Allocate(int width, int height)
    {
        _bitmap?.Dispose();
        _bitmap = new SKBitmap(new SKImageInfo(Math.Max(1, width), Math.Max(1, height), SKColorType.Bgra8888, SKAlphaType.Premul));
        _editor.SetSize(_bitmap.Width, _bitmap.Height);
    }

    private void Paint()
    {
        var paint = default(PaintStruct);
        nint dc = BeginPaint(_hwnd, &paint);
        if (_bitmap is { } bitmap)
        {
            using (var canvas = new SKCanvas(bitmap))
                _editor.Render(canvas);
            _editor.Dirty = false;
            var info = new BitmapInfoHeader
            {
                // BITMAPINFOHEADER's own size (40): GDI reads the header version from it, so the color-table slot that
                // follows in the struct must not be counted.
                Size = BitmapInfoHeaderSize,
                Width = bitmap.Width,
                Height = -bitmap.Height, // top-down rows, as Skia writes them
                Planes = 1,
                BitCount = 32,
            };
            SetDIBitsToDevice(dc, 0, 0, (uint)bitmap.Width, (uint)bitmap.Height, 0, 0, 0, (uint)bitmap.Height, (void*)bitmap.GetPixels(), &info, 0);
        }

        EndPaint(_hwnd, &paint);
    }

    private nint Handle(uint message, nuint wParam, nint lParam)
    {
        int x = (short)(lParam & 0xFFFF);
        int y = (short)((lParam >> 16) & 0xFFFF);
        var modifiers = (GetKeyState(0x10) < 0 ? Modifiers.Shift : Modifiers.None) | (GetKeyState(0x11) < 0 ? Modifiers.Control : Modifiers.None);
        switch (message)
        {
            case WmPaint:
                Paint();
                return 0;
            case WmEraseBackground:
                return 1;
            case WmTimer:
                _tick();
                return 0;
            case WmLButtonDown:
                SetFocus(_hwnd);
                _editor.PointerDown(x, y, PointerButton.Left, modifiers);
                break;
            case WmLButtonUp:
                _editor.PointerUp(x, y);
                break;
            case WmMouseMove:
                _editor.PointerMove(x, y);
                break;
            case WmMouseWheel:
                var point = new Point { X = x, Y = y };
                ScreenToClient(_hwnd, &point);
                _editor.Wheel(point.X, point.Y, (short)((wParam >> 16) & 0xFFFF) / 120f);
                break;
            case WmKeyDown:
                var key = VirtualKey((int)wParam, (modifiers & Modifiers.Control) != 0);
                if (key != EditorKey.None)
                    _editor.KeyDown(key, modifiers);
                break;
            case WmChar:
                char c = (char)wParam;
                if (char.IsHighSurrogate(c))
                {
                    _highSurrogate = c;
                }
                else if (char.IsLowSurrogate(c) && _highSurrogate != 0)
                {
                    _editor.TextInput(new string([_highSurrogate, c]));
                    _highSurrogate = '\0';
                }
                else if (c >= ' ' && (modifiers & Modifiers.Control) == 0)
                {
                    _editor.TextInput(c.ToString());
                }

                break;
            case WmKillFocus:
                _editor.FocusLost();
                break;
            case WmStartFileDrag:
                RunFileDrag();
                return 0;
            case WmSize:
            case WmDestroy:
                break;
        }

        Present();
        return -1;
    }

    private void RunFileDrag()
    {
        if (!_drag.Pending)
            return;
        // DoDragDrop keeps dispatching this thread's messages (paint, the view's timer) until the button is released
        // or Escape is pressed; it also swallows the button-up, which is why the editor hears the end from here.
        var outcome = _drag.Run();
        // The host may have removed the view during the drag (Dispose ran inside the modal loop): then nobody listens.
        if (_hwnd != 0)
            _editor.FileDragEnded(outcome == OleDragOutcome.Dropped);
    }

    private static EditorKey VirtualKey(int vk, bool control) => vk switch
    {
        0x08 => EditorKey.Backspace,
        0x09 => EditorKey.Tab,
        0x0D => EditorKey.Return,
        0x1B => EditorKey.Escape,
        0x21 => EditorKey.PageUp,
        0x22 => EditorKey.PageDown,
        0x23 => EditorKey.End,
        0x24 => EditorKey.Home,
        0x25 => EditorKey.Left,
        0x26 => EditorKey.Up,
        0x27 => EditorKey.Right,
        0x28 => EditorKey.Down,
        0x2E => EditorKey.Delete,
        0x41 when control => EditorKey.A,
        0x43 when control => EditorKey.C,
        0x56 when control => EditorKey.V,
        0x58 when control => EditorKey.X,
        _ => EditorKey.None,
    };

#pragma warning disable CA1031 // Nothing may unwind into the host's message loop.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static nint WndProc(nint hwnd, uint message, nuint wParam, nint lParam)
    {
        try
        {
            nint handle = GetWindowLongPtrW(hwnd, GwlpUserData);
            if (handle != 0 && GCHandle.FromIntPtr(handle).Target is Win32EditorWindow window)
            {
                nint result = window.Handle(message, wParam, lParam);
                if (result >= 0)
                    return result;
            }
        }
        catch (Exception)
        {
        }

        return DefWindowProcW(hwnd, message, wParam, lParam);
    }
#pragma warning restore CA1031

    [StructLayout(LayoutKind.Sequential)]
    private struct WndClassEx
    {
        public uint Size;
        public uint Style;
        public nint WndProc;
        public int ClassExtra;
        public int WindowExtra;
        public nint Instance;
        public nint Icon;
        public nint Cursor;
        public nint Background;
        public char* MenuName;
        public char* ClassName;
        public nint SmallIcon;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Point
    {
        public int X;
        public int Y;
    }

    [StructLayout(LayoutKind.Sequential, Size = 72)]
    private struct PaintStruct
    {
        public nint Dc;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct BitmapInfoHeader
    {
        public uint Size;
        public int Width;
        public int Height;
        public ushort Planes;
        public ushort BitCount;
        public uint Compression;
        public uint SizeImage;
        public int XPelsPerMeter;
        public int YPelsPerMeter;
        public uint ClrUsed;
        public uint ClrImportant;
        public uint Colors;
    }

    [DllImport("kernel32")]
    private static extern nint GetModuleHandleW(char* name);

    [DllImport("user32")]
    private static extern ushort RegisterClassExW(WndClassEx* windowClass);

    [DllImport("user32")]
    private static extern nint CreateWindowExW(uint exStyle, char* className, char* title, uint style, int x, int y, int width, int height, nint parent, nint menu, nint instance, nint param);

    [DllImport("user32")]
    private static extern int DestroyWindow(nint hwnd);

    [DllImport("user32")]
    private static extern nint DefWindowProcW(nint hwnd, uint message, nuint wParam, nint lParam);

    [DllImport("user32")]
    private static extern nint SetWindowLongPtrW(nint hwnd, int index, nint value);

    [DllImport("user32")]
    private static extern nint GetWindowLongPtrW(nint hwnd, int index);

    [DllImport("user32")]
    private static extern nuint SetTimer(nint hwnd, nuint id, uint milliseconds, nint callback);

    [DllImport("user32")]
    private static extern int KillTimer(nint hwnd, nuint id);

    [DllImport("user32")]
    private static extern int SetWindowPos(nint hwnd, nint after, int x, int y, int width, int height, uint flags);

    [DllImport("user32")]
    private static extern int InvalidateRect(nint hwnd, void* rect, int erase);

    [DllImport("user32")]
    private static extern nint BeginPaint(nint hwnd, PaintStruct* paint);

    [DllImport("user32")]
    private static extern int EndPaint(nint hwnd, PaintStruct* paint);

    [DllImport("gdi32")]
    private static extern int SetDIBitsToDevice(nint dc, int x, int y, uint width, uint height, int srcX, int srcY, uint startScan, uint lines, void* bits, BitmapInfoHeader* info, uint usage);

    [DllImport("user32")]
    private static extern int PostMessageW(nint hwnd, uint message, nuint wParam, nint lParam);

    [DllImport("user32")]
    private static extern nint SetFocus(nint hwnd);

    [DllImport("user32")]
    private static extern short GetKeyState(int key);

    [DllImport("user32")]
    private static extern int ScreenToClient(nint hwnd, Point* point);

    [DllImport("user32")]
    private static extern nint LoadCursorW(nint instance, nint name);
}

/// <summary>Where the plugin's DLL lies on Windows (the bundle's Contents/x86_64-win), for loading the Skia library
/// next to it: the module that holds this code, found from a code address inside it.</summary>
[SupportedOSPlatform("windows")]
internal static unsafe class Win32ModuleFile
{
    private const uint FromAddress = 0x4;
    private const uint UnchangedRefCount = 0x2;

    /// <summary>The folder of the plugin's DLL, or null if Windows does not say.</summary>
    public static string? Directory()
    {
        nint module;
        if (GetModuleHandleExW(FromAddress | UnchangedRefCount, (void*)(delegate* unmanaged<void>)&Anchor, &module) == 0)
            return null;
        char* path = stackalloc char[32768];
        uint length = GetModuleFileNameW(module, path, 32768);
        return length == 0 || length >= 32768 ? null : Path.GetDirectoryName(new string(path, 0, (int)length));
    }

    [UnmanagedCallersOnly]
    private static void Anchor()
    {
    }

    [DllImport("kernel32")]
    private static extern int GetModuleHandleExW(uint flags, void* address, nint* module);

    [DllImport("kernel32")]
    private static extern uint GetModuleFileNameW(nint module, char* path, uint size);
}
