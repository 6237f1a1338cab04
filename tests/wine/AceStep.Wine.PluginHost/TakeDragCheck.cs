using System.Runtime.InteropServices;
using SkiaSharp;

// A failed window or input call shows up in what the drop target records; return values add nothing.
#pragma warning disable CA1806

using static AceStep.Wine.PluginHost.TopLevelWindows;

namespace AceStep.Wine.PluginHost;

/// <summary>
/// Dragging a take out of the HWND editor onto another window, as a producer does onto a DAW's track: a top-level
/// window of the host registered with <c>RegisterDragDrop</c> (an <c>IDropTarget</c> of its own, <see cref="DropTarget"/>),
/// the mouse driven with <c>SendInput</c> from a second thread (the UI thread is inside the plugin's modal
/// <c>DoDragDrop</c> meanwhile), then what the target saw: one drop, <c>CF_HDROP</c> offered, and
/// <c>DragQueryFileW</c>'s one path is the take's WAV. A second drag is cancelled with Escape over the target.
/// </summary>
internal sealed unsafe class TakeDragCheck(Action<string> pass, Action<string> fail)
{
    private const uint WsPopup = 0x80000000;
    private const uint WsVisible = 0x10000000;
    private const uint SsNotify = 0x00000100; // a STATIC control is transparent to WindowFromPoint without it
    private const int RpcEChangedMode = unchecked((int)0x80010106);

    /// <summary>Runs both drags from <paramref name="row"/> (the take's row, client coordinates of <paramref name="editor"/>).</summary>
    /// <param name="pump">Runs the host's message loop (and audio blocks) for a while.</param>
    public void Run(nint editor, SKPointI row, string takeFile, Action<TimeSpan> pump)
    {
        int ole = OleInitialize(null);
        if (ole < 0)
        {
            fail($"take drag: OleInitialize on the host's UI thread = 0x{ole:X8}{(ole == RpcEChangedMode ? " (the thread is in the multithreaded apartment)" : "")}");
            return;
        }

        var from = new Point { X = row.X, Y = row.Y };
        ClientToScreen(editor, &from);
        int screenWidth = GetSystemMetrics(0);
        int screenHeight = GetSystemMetrics(1);
        const int Size = 200;
        int left = screenWidth - Size - 20;
        int top = 120;
        nint window;
        fixed (char* className = "STATIC")
        fixed (char* title = "AceStep Wine check drop target")
            window = CreateWindowExW(0, className, title, WsPopup | WsVisible | SsNotify, left, top, Size, Size, 0, 0, GetModuleHandleW(null), 0);
        using var target = new DropTarget();
        int registered = RegisterDragDrop(window, target.Pointer);
        try
        {
            if (window == 0 || registered != 0)
            {
                fail($"take drag: drop target window {window}, RegisterDragDrop = 0x{registered:X8}");
                return;
            }

            var to = new Point { X = left + (Size / 2), Y = top + (Size / 2) };
            pump(TimeSpan.FromMilliseconds(300));
            Drop(target, from, to, takeFile, screenWidth, screenHeight, pump);
            Escape(target, from, to, screenWidth, screenHeight, pump);
        }
        finally
        {
            RevokeDragDrop(window);
            DestroyWindow(window);
            OleUninitialize();
        }
    }

    private void Drop(DropTarget target, Point from, Point to, string takeFile, int width, int height, Action<TimeSpan> pump)
    {
        var started = DateTime.UtcNow;
        Drive(from, to, width, height, pump, escape: false);
        var seen = target.Seen;
        string expected = Path.GetFullPath(takeFile);
        string? dropped = seen.Files.Count == 1 ? seen.Files[0] : null;
        bool same = dropped is not null && string.Equals(Path.GetFullPath(dropped), expected, StringComparison.OrdinalIgnoreCase);
        byte[] bytes = same && File.Exists(dropped) ? File.ReadAllBytes(dropped!) : [];
        bool wav = bytes.Length > 44 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8);
        if (seen.Drops == 1 && seen.HdropQuery == 0 && seen.Enumerated.SequenceEqual([(ushort)15]) && seen.FileCount == 1 && same && wav &&
            bytes.Length == new FileInfo(takeFile).Length && seen.OtherFormatQuery == unchecked((int)0x80040064))
        {
            pass($"take drag: SendInput dragged the take's row onto a RegisterDragDrop window: {seen.Enters} DragEnter, {seen.Overs} DragOver, 1 Drop; " +
                $"CF_HDROP offered (QueryGetData S_OK, EnumFormatEtc lists only format 15, CF_TEXT refused with DV_E_FORMATETC), DragQueryFileW gives 1 path, " +
                $"the take's WAV ({Path.GetFileName(dropped)}, {bytes.Length} bytes, RIFF/WAVE) ({(DateTime.UtcNow - started).TotalSeconds:F1} s)");
        }
        else
        {
            fail($"take drag onto the drop target: {seen.Enters} DragEnter, {seen.Overs} DragOver, {seen.Leaves} DragLeave, {seen.Drops} Drop; QueryGetData(CF_HDROP) = 0x{seen.HdropQuery:X8}, " +
                $"formats [{string.Join(",", seen.Enumerated)}], CF_TEXT query 0x{seen.OtherFormatQuery:X8}, DragQueryFileW count {seen.FileCount}, paths [{string.Join("; ", seen.Files)}]; " +
                $"expected one path {expected} ({(wav ? "" : "not ")}a WAV)");
        }
    }

    private void Escape(DropTarget target, Point from, Point to, int width, int height, Action<TimeSpan> pump)
    {
        var before = target.Seen;
        Drive(from, to, width, height, pump, escape: true);
        var after = target.Seen;
        int enters = after.Enters - before.Enters;
        int leaves = after.Leaves - before.Leaves;
        int drops = after.Drops - before.Drops;
        if (enters >= 1 && leaves == enters && drops == 0)
            pass($"take drag: a second drag over the target, Escape pressed with the button still held: DragEnter {enters}, DragLeave {leaves}, Drop 0 (nothing dropped)");
        else
            fail($"take drag with Escape: DragEnter {enters}, DragLeave {leaves}, Drop {drops}; expected the target entered, left and no drop");
    }

    /// <summary>
    /// Presses on the take's row, moves past the drag threshold, glides onto the target and releases it (or presses
    /// Escape there first), from a thread of its own; the UI thread pumps meanwhile and runs DoDragDrop's loop.
    /// </summary>
    private static void Drive(Point from, Point to, int width, int height, Action<TimeSpan> pump, bool escape)
    {
        var driver = new Thread(() =>
        {
            Mouse(from.X, from.Y, width, height, 0);
            Thread.Sleep(150);
            Mouse(from.X, from.Y, width, height, MouseLeftDown);
            Thread.Sleep(150);
            for (int i = 1; i <= 4; i++)
            {
                Mouse(from.X + (i * 5), from.Y, width, height, 0);
                Thread.Sleep(60);
            }

            Thread.Sleep(400); // the editor posts itself the start; DoDragDrop takes the mouse
            const int Steps = 12;
            for (int i = 1; i <= Steps; i++)
            {
                Mouse(from.X + 20 + ((to.X - from.X - 20) * i / Steps), from.Y + ((to.Y - from.Y) * i / Steps), width, height, 0);
                Thread.Sleep(60);
            }

            Mouse(to.X + 2, to.Y + 2, width, height, 0);
            Thread.Sleep(300);
            if (escape)
            {
                Key(0x1B, 0x01, up: false);
                Thread.Sleep(60);
                Key(0x1B, 0x01, up: true);
                Thread.Sleep(300);
            }

            Mouse(to.X + 2, to.Y + 2, width, height, MouseLeftUp);
            Thread.Sleep(200);
        }) { IsBackground = true };
        driver.Start();
        while (driver.IsAlive)
            pump(TimeSpan.FromMilliseconds(50));
        pump(TimeSpan.FromMilliseconds(700));
    }

    private const uint MouseMove = 0x0001;
    private const uint MouseLeftDown = 0x0002;
    private const uint MouseLeftUp = 0x0004;
    private const uint MouseAbsolute = 0x8000;

    private static void Mouse(int x, int y, int width, int height, uint button)
    {
        var input = new Input { Type = 0 };
        // Absolute coordinates are 0..65535 across the screen; rounded up so they map back to the same pixel.
        input.Mouse.X = ((x * 65536) + width - 1) / width;
        input.Mouse.Y = ((y * 65536) + height - 1) / height;
        input.Mouse.Flags = MouseMove | MouseAbsolute | button;
        SendInput(1, &input, sizeof(Input));
    }

    private static void Key(ushort virtualKey, ushort scanCode, bool up)
    {
        var input = new Input { Type = 1 };
        input.Keyboard.VirtualKey = virtualKey;
        input.Keyboard.ScanCode = scanCode;
        input.Keyboard.Flags = up ? 0x0002u : 0;
        SendInput(1, &input, sizeof(Input));
    }

    /// <summary>What the drop target saw (a copy).</summary>
    internal sealed record Seen(int Enters, int Overs, int Leaves, int Drops, int HdropQuery, int OtherFormatQuery,
        IReadOnlyList<ushort> Enumerated, int FileCount, IReadOnlyList<string> Files);

    /// <summary>
    /// A minimal <c>IDropTarget</c> (one at a time, with a static vtable): takes copies, and on the drop reads the
    /// data object as a DAW would (QueryGetData, EnumFormatEtc, GetData(CF_HDROP), DragQueryFileW, ReleaseStgMedium).
    /// </summary>
    private sealed class DropTarget : IDisposable
    {
        private static readonly Guid s_iidUnknown = new("00000000-0000-0000-C000-000000000046");
        private static readonly Guid s_iidDropTarget = new("00000122-0000-0000-C000-000000000046");
        private static readonly void** s_vtable = CreateVtable();
        private static DropTarget? s_current;

        private int _enters;
        private int _overs;
        private int _leaves;
        private int _drops;
        private int _hdropQuery = -1;
        private int _otherQuery = -1;
        private List<ushort> _enumerated = [];
        private int _fileCount = -1;
        private List<string> _files = [];

        public DropTarget()
        {
            Pointer = (nint)NativeMemory.Alloc((nuint)sizeof(nint));
            *(void***)Pointer = s_vtable;
            s_current = this;
        }

        public nint Pointer { get; }

        public Seen Seen => new(_enters, _overs, _leaves, _drops, _hdropQuery, _otherQuery, [.. _enumerated], _fileCount, [.. _files]);

        public void Dispose()
        {
            // RevokeDragDrop has released ole32's references by now; the memory is ours.
            s_current = null;
            NativeMemory.Free((void*)Pointer);
        }

        private static void** CreateVtable()
        {
            var v = (void**)NativeMemory.AllocZeroed(7, (nuint)sizeof(nint));
            v[0] = (delegate* unmanaged<void*, Guid*, void**, int>)&QueryInterface;
            v[1] = (delegate* unmanaged<void*, uint>)&AddRef;
            v[2] = (delegate* unmanaged<void*, uint>)&Release;
            v[3] = (delegate* unmanaged<void*, void*, uint, long, uint*, int>)&DragEnter;
            v[4] = (delegate* unmanaged<void*, uint, long, uint*, int>)&DragOver;
            v[5] = (delegate* unmanaged<void*, int>)&DragLeave;
            v[6] = (delegate* unmanaged<void*, void*, uint, long, uint*, int>)&Drop;
            return v;
        }

        [UnmanagedCallersOnly]
        private static int QueryInterface(void* self, Guid* iid, void** result)
        {
            if (*iid == s_iidUnknown || *iid == s_iidDropTarget)
            {
                *result = self;
                return 0;
            }

            *result = null;
            return unchecked((int)0x80004002); // E_NOINTERFACE
        }

        // The object lives as long as the check; counting references would add nothing.
        [UnmanagedCallersOnly]
        private static uint AddRef(void* self) => 2;

        [UnmanagedCallersOnly]
        private static uint Release(void* self) => 1;

        [UnmanagedCallersOnly]
        private static int DragEnter(void* self, void* data, uint keys, long point, uint* effect)
        {
            if (s_current is { } target)
            {
                target._enters++;
                target.Inspect(data);
            }

            *effect &= 1; // DROPEFFECT_COPY: a DAW copies the file into its project
            return 0;
        }

        [UnmanagedCallersOnly]
        private static int DragOver(void* self, uint keys, long point, uint* effect)
        {
            if (s_current is { } target)
                target._overs++;
            *effect &= 1;
            return 0;
        }

        [UnmanagedCallersOnly]
        private static int DragLeave(void* self)
        {
            if (s_current is { } target)
                target._leaves++;
            return 0;
        }

        [UnmanagedCallersOnly]
        private static int Drop(void* self, void* data, uint keys, long point, uint* effect)
        {
            if (s_current is { } target)
            {
                target._drops++;
                target.Read(data);
            }

            *effect &= 1;
            return 0;
        }

        private void Inspect(void* data)
        {
            var vtable = *(void***)data;
            var hdrop = Format(15);
            var text = Format(1);
            _hdropQuery = ((delegate* unmanaged<void*, FormatEtc*, int>)vtable[5])(data, &hdrop);
            _otherQuery = ((delegate* unmanaged<void*, FormatEtc*, int>)vtable[5])(data, &text);
            void* enumerator = null;
            _enumerated = [];
            if (((delegate* unmanaged<void*, uint, void**, int>)vtable[8])(data, 1, &enumerator) == 0 && enumerator != null)
            {
                var next = (delegate* unmanaged<void*, uint, FormatEtc*, uint*, int>)(*(void***)enumerator)[3];
                FormatEtc format;
                uint fetched;
                while (next(enumerator, 1, &format, &fetched) == 0 && fetched == 1 && _enumerated.Count < 16)
                    _enumerated.Add(format.Format);
                ((delegate* unmanaged<void*, uint>)(*(void***)enumerator)[2])(enumerator);
            }
        }

        private void Read(void* data)
        {
            var vtable = *(void***)data;
            var hdrop = Format(15);
            StgMedium medium;
            _files = [];
            if (((delegate* unmanaged<void*, FormatEtc*, StgMedium*, int>)vtable[3])(data, &hdrop, &medium) != 0)
            {
                _fileCount = -2;
                return;
            }

            _fileCount = (int)DragQueryFileW(medium.Handle, uint.MaxValue, null, 0);
            for (uint i = 0; i < (uint)Math.Max(0, _fileCount); i++)
            {
                uint length = DragQueryFileW(medium.Handle, i, null, 0);
                var buffer = new char[length + 1];
                fixed (char* b = buffer)
                    DragQueryFileW(medium.Handle, i, b, length + 1);
                _files.Add(new string(buffer, 0, (int)length));
            }

            ReleaseStgMedium(&medium);
        }

        private static FormatEtc Format(ushort format) => new() { Format = format, Aspect = 1, Index = -1, Medium = 1 };
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FormatEtc
    {
        public ushort Format;
        public nint TargetDevice;
        public uint Aspect;
        public int Index;
        public uint Medium;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct StgMedium
    {
        public uint Medium;
        public nint Handle;
        public nint ReleaseObject;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Point
    {
        public int X;
        public int Y;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MouseInput
    {
        public int X;
        public int Y;
        public uint Data;
        public uint Flags;
        public uint Time;
        public nuint Extra;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct KeyboardInput
    {
        public ushort VirtualKey;
        public ushort ScanCode;
        public uint Flags;
        public uint Time;
        public nuint Extra;
    }

    [StructLayout(LayoutKind.Explicit, Size = 40)]
    private struct Input
    {
        [FieldOffset(0)]
        public uint Type;

        [FieldOffset(8)]
        public MouseInput Mouse;

        [FieldOffset(8)]
        public KeyboardInput Keyboard;
    }

    [DllImport("ole32")]
    private static extern int OleInitialize(void* reserved);

    [DllImport("ole32")]
    private static extern void OleUninitialize();

    [DllImport("ole32")]
    private static extern int RegisterDragDrop(nint hwnd, nint target);

    [DllImport("ole32")]
    private static extern int RevokeDragDrop(nint hwnd);

    [DllImport("ole32")]
    private static extern void ReleaseStgMedium(StgMedium* medium);

    [DllImport("shell32")]
    private static extern uint DragQueryFileW(nint drop, uint index, char* file, uint size);

    [DllImport("user32")]
    private static extern int ClientToScreen(nint hwnd, Point* point);

    [DllImport("user32")]
    private static extern int GetSystemMetrics(int index);

    [DllImport("user32")]
    private static extern uint SendInput(uint count, Input* inputs, int size);
}
