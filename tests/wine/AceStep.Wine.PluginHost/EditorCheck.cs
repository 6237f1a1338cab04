using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using AceStep.Plugin.Editor;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;
using SkiaSharp;

// A failed window or GDI call shows up in the pixels and the prompt the check compares; return values add nothing.
#pragma warning disable CA1806

using static AceStep.Wine.PluginHost.TopLevelWindows;

namespace AceStep.Wine.PluginHost;

/// <summary>
/// The editor as a Windows DAW shows it: a top-level window of the host, <c>attached(hwnd, "HWND")</c>, the host's
/// message loop turning; then what the window shows (read back with GDI) and what a click and typed characters do.
/// The pixels compared are the ones the Linux X11 test pins (tests/AceStep.Plugin.Tests/EditorWindowTests.cs).
/// </summary>
internal sealed unsafe class EditorCheck(Action<string> pass, Action<string> fail, string? capturePath, EngineLink? engine)
{
    private const string Hwnd = "HWND";
    private const uint WsPopup = 0x80000000;
    private const uint WsVisible = 0x10000000;
    private const uint WsClipChildren = 0x02000000;
    private const uint GwChild = 5;
    private const uint WmKeyDown = 0x0100;
    private const uint WmChar = 0x0102;
    private const uint WmLButtonDown = 0x0201;
    private const uint WmLButtonUp = 0x0202;
    private const int VkBack = 0x08;
    private const uint Srccopy = 0x00CC0020;

    // Typed into the prompt: accents, CJK, a character outside the BMP (two WM_CHAR surrogates), then four
    // backspaces take "bass" off again.
    private const string Typed = "Café 中文 🎺 bass";
    private const string Expected = "Café 中文 🎺 ";

    public void Run(PluginFactoryRef factory, HostApplication host, Vst3Uid processorCid, Func<nint, string> sessionView)
    {
        engine?.Configure();
        using var instance = PluginInstance.Create(factory, processorCid.ToTuid(Vst3Encoding.Com), host);
        // As in the Linux test: a second of playing audio first (the capture lights Generate), and blocks keep coming
        // while the editor is open (the processor takes the editor's settings between blocks).
        using var player = new Player(instance);
        player.Play(TimeSpan.FromSeconds(1));
        nint viewPointer = instance.Controller.CreateView();
        if (viewPointer == 0)
        {
            fail("editor: createView returned null (the drawing library libSkiaSharp.dll or the fonts were not found next to the plugin)");
            return;
        }

        using var view = new PlugViewRef(viewPointer);
        using var frame = new HostPlugFrame { View = view };
        view.SetFrame(frame.NativePointer);
        int supported = view.IsPlatformTypeSupported(Hwnd);
        view.GetSize(out var size);
        int width = size.Right - size.Left;
        int height = size.Bottom - size.Top;
        nint parent;
        fixed (char* className = "STATIC")
        fixed (char* title = "AceStep Wine check")
            parent = CreateWindowExW(0, className, title, WsPopup | WsVisible | WsClipChildren, 0, 0, width, height, 0, 0, GetModuleHandleW(null), 0);
        int attached = view.Attached(parent, Hwnd);
        nint child = GetWindow(parent, GwChild);
        if (supported != ResultCodes.Com.ResultTrue || attached != ResultCodes.Com.ResultOk || child == 0)
        {
            fail($"editor: isPlatformTypeSupported(HWND) = 0x{supported:X8}, attached = 0x{attached:X8}, parent window {parent}, child window {child} (is ACESTEP_EDITOR_WIN32=1 set?)");
            DestroyWindow(parent);
            return;
        }

        Pump(TimeSpan.FromMilliseconds(800), player);
        var layout = new EditorLayout(width, height);
        using var before = Capture(child, width, height);
        var accent = before.GetPixel((int)layout.Generate.Left + 6, (int)layout.Generate.MidY + 8);
        var panel = before.GetPixel((int)layout.Generate.Left - 6, (int)layout.Generate.MidY);
        int colours = DistinctColours(before);
        if (accent == SKColor.Parse("#5eead4") && panel == SKColor.Parse("#171b21") && colours > 50)
        {
            pass($"editor: attached(hwnd, \"HWND\") made a {width}x{height} child window that drew the editor ({colours} colours; the Generate button's accent #5eead4 and the panel #171b21 where the Linux render has them)");
        }
        else
        {
            fail($"editor: the child window shows {colours} colours, Generate button pixel {accent}, panel pixel {panel}; expected #5eead4 and #171b21 as on Linux");
        }

        // A click into the prompt field, then characters as TranslateMessage would post them, then backspaces.
        nint at = (nint)(((int)layout.Prompt.MidY << 16) | ((int)layout.Prompt.MidX & 0xFFFF));
        PostMessageW(child, WmLButtonDown, 1, at);
        PostMessageW(child, WmLButtonUp, 0, at);
        Pump(TimeSpan.FromMilliseconds(200), player);
        foreach (char c in Typed)
            PostMessageW(child, WmChar, c, 1);
        for (int i = 0; i < 4; i++)
            PostMessageW(child, WmKeyDown, VkBack, 1);
        string prompt = "";
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < end && (prompt = Prompt(sessionView(instance.Component.Component))) != Expected)
            Pump(TimeSpan.FromMilliseconds(100), player);
        Pump(TimeSpan.FromMilliseconds(300), player);
        using var after = Capture(child, width, height);
        int changed = ChangedPixels(before, after, layout.Prompt);
        if (capturePath is not null)
            Save(after, capturePath);
        if (prompt == Expected && changed > 0)
        {
            pass($"editor: a click into the prompt and WM_CHAR/WM_KEYDOWN messages (accents, CJK, a surrogate pair, backspace) set the instance's prompt to \"{Expected.TrimEnd()}\"; {changed} pixels of the field redrawn");
        }
        else
        {
            fail($"editor: after the click and typing the prompt reads \"{prompt}\" (expected \"{Expected}\"), {changed} pixels of the field changed");
        }

        // With a take in the list: drag its row out onto a window of the host that takes file drops (OLE).
        if (engine is not null && Generate(instance, player, engine) is { } take)
        {
            Pump(TimeSpan.FromMilliseconds(800), player);
            var row = layout.TakeRow(0);
            new TakeDragCheck(pass, fail).Run(child, new SKPointI((int)row.Left + 40, (int)row.MidY), take, duration => Pump(duration, player));
        }

        int removed = view.Removed();
        nint left = GetWindow(parent, GwChild);
        view.SetFrame(0);
        DestroyWindow(parent);
        if (removed == ResultCodes.Com.ResultOk && left == 0)
            pass("editor: removed() destroyed the child window");
        else
            fail($"editor: removed() = 0x{removed:X8}, child window left: {left}");
    }

    /// <summary>With the typed prompt, Generate (the parameter, as a host automates it) sends the captured range over
    /// the named pipe to the Windows engine, and the take comes back and loads. Returns the take's file, or null.</summary>
    private string? Generate(PluginInstance instance, Player player, EngineLink engine)
    {
        player.Play(TimeSpan.FromSeconds(8.5)); // the default range, bars 1-4 at 120 BPM, captured in full
        var started = DateTime.UtcNow;
        player.Press(GenerateParameter);
        int loaded = 0;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(90) && (loaded = engine.LoadedTakes(instance.Component.Component)) < 1)
            Pump(TimeSpan.FromMilliseconds(200), player);
        var files = Directory.Exists(engine.TakesFolder) ? Directory.GetFiles(engine.TakesFolder, "*.wav") : [];
        if (loaded == 1 && files.Length == 1)
        {
            pass($"plugin -> Windows engine over the named pipe: Generate sent the captured range, the take came back and loaded ({Path.GetFileName(files[0])}, {new FileInfo(files[0]).Length} bytes, {(DateTime.UtcNow - started).TotalSeconds:F1} s)");
            return files[0];
        }

        fail($"plugin -> Windows engine over the named pipe '{engine.PipeName}': {loaded} takes loaded, {files.Length} files in {engine.TakesFolder} after {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        return null;
    }

    private const uint GenerateParameter = 10;

    private static string Prompt(string sessionJson) =>
        JsonDocument.Parse(sessionJson).RootElement.GetProperty("settings").GetProperty("prompt").GetString() ?? "";

    /// <summary>Runs the host's message loop (PeekMessage/DispatchMessage) for <paramref name="duration"/>, the audio
    /// blocks in between.</summary>
    private static void Pump(TimeSpan duration, Player player)
    {
        var end = DateTime.UtcNow + duration;
        Msg msg;
        while (DateTime.UtcNow < end)
        {
            while (PeekMessageW(&msg, 0, 0, 0, 1) != 0)
            {
                TranslateMessage(&msg);
                DispatchMessageW(&msg);
            }

            player.Block();
            Thread.Sleep(5);
        }
    }

    /// <summary>What the window shows, read back through GDI (BitBlt from its DC into a top-down 32-bit DIB).</summary>
    private static SKBitmap Capture(nint window, int width, int height)
    {
        nint source = GetDC(window);
        nint memory = CreateCompatibleDC(source);
        var info = new BitmapInfoHeader { Size = 40, Width = width, Height = -height, Planes = 1, BitCount = 32 };
        void* bits;
        nint dib = CreateDIBSection(memory, &info, 0, &bits, 0, 0);
        nint old = SelectObject(memory, dib);
        BitBlt(memory, 0, 0, width, height, source, 0, 0, Srccopy);
        GdiFlush();
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Opaque));
        var pixels = new ReadOnlySpan<uint>(bits, width * height);
        var target = new Span<uint>((void*)bitmap.GetPixels(), width * height);
        for (int i = 0; i < pixels.Length; i++)
            target[i] = pixels[i] | 0xFF000000; // GDI leaves the alpha byte 0
        SelectObject(memory, old);
        DeleteObject(dib);
        DeleteDC(memory);
        ReleaseDC(window, source);
        return bitmap;
    }

    private static int DistinctColours(SKBitmap bitmap)
    {
        var seen = new HashSet<uint>();
        var pixels = new ReadOnlySpan<uint>((void*)bitmap.GetPixels(), bitmap.Width * bitmap.Height);
        foreach (uint p in pixels)
            seen.Add(p);
        return seen.Count;
    }

    private static int ChangedPixels(SKBitmap a, SKBitmap b, SKRect area)
    {
        int changed = 0;
        for (int y = (int)area.Top; y < (int)area.Bottom; y++)
        {
            for (int x = (int)area.Left; x < (int)area.Right; x++)
            {
                if (a.GetPixel(x, y) != b.GetPixel(x, y))
                    changed++;
            }
        }

        return changed;
    }

    private static void Save(SKBitmap bitmap, string path)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }

    /// <summary>A host playing at 48 kHz, 120 BPM, 4/4 with a sine input (tests/AceStep.Plugin.Tests/TimelineDriver.cs).</summary>
    private sealed class Player : IDisposable
    {
        private const int Rate = 48_000;
        private const int BlockSize = 512;
        private readonly PluginInstance _instance;
        private readonly ProcessBlock _block = new(SymbolicSampleSize.Sample32, 2, BlockSize);
        private long _position;

        public Player(PluginInstance instance)
        {
            _instance = instance;
            _instance.Activate(new ProcessSetup
            {
                ProcessMode = ProcessMode.Realtime,
                SymbolicSampleSize = SymbolicSampleSize.Sample32,
                MaxSamplesPerBlock = BlockSize,
                SampleRate = Rate,
            });
        }

        public void Play(TimeSpan duration)
        {
            for (long end = _position + (long)(duration.TotalSeconds * Rate); _position < end;)
                Block();
        }

        /// <summary>One block that switches <paramref name="parameter"/> on, as host automation of a trigger does.</summary>
        public void Press(uint parameter)
        {
            using var changes = new ParameterChanges();
            changes.Add(parameter, 0, 1.0);
            _block.InputParameterChanges = changes;
            Block();
            _block.InputParameterChanges = null;
        }

        public void Block()
        {
            _block.NumSamples = BlockSize;
            for (int c = 0; c < 2; c++)
            {
                var input = _block.Input32(c);
                for (int i = 0; i < BlockSize; i++)
                    input[i] = (float)(0.35 * Math.Sin(2 * Math.PI * (220 + (c * 17)) * (_position + i) / Rate));
            }

            ref var context = ref _block.Context;
            context.State = ProcessContextState.Playing | ProcessContextState.TempoValid | ProcessContextState.TimeSigValid
                | ProcessContextState.ProjectTimeMusicValid;
            context.SampleRate = Rate;
            context.ProjectTimeSamples = _position;
            context.Tempo = 120;
            context.TimeSigNumerator = 4;
            context.TimeSigDenominator = 4;
            context.ProjectTimeMusic = _position / (double)Rate * 2;
            _instance.Component.Process(_block);
            _position += BlockSize;
        }

        public void Dispose()
        {
            _instance.Deactivate();
            _block.Dispose();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Msg
    {
        public nint Hwnd;
        public uint Message;
        public nuint WParam;
        public nint LParam;
        public uint Time;
        public int X;
        public int Y;
        public uint Private;
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

    [DllImport("user32")]
    private static extern nint GetWindow(nint hwnd, uint command);

    [DllImport("user32")]
    private static extern int PostMessageW(nint hwnd, uint message, nuint wParam, nint lParam);

    [DllImport("user32")]
    private static extern int PeekMessageW(Msg* msg, nint hwnd, uint min, uint max, uint remove);

    [DllImport("user32")]
    private static extern int TranslateMessage(Msg* msg);

    [DllImport("user32")]
    private static extern nint DispatchMessageW(Msg* msg);

    [DllImport("user32")]
    private static extern nint GetDC(nint hwnd);

    [DllImport("user32")]
    private static extern int ReleaseDC(nint hwnd, nint dc);

    [DllImport("gdi32")]
    private static extern nint CreateCompatibleDC(nint dc);

    [DllImport("gdi32")]
    private static extern nint CreateDIBSection(nint dc, BitmapInfoHeader* info, uint usage, void** bits, nint section, uint offset);

    [DllImport("gdi32")]
    private static extern nint SelectObject(nint dc, nint obj);

    [DllImport("gdi32")]
    private static extern int BitBlt(nint dest, int x, int y, int width, int height, nint source, int sx, int sy, uint rop);

    [DllImport("gdi32")]
    private static extern int GdiFlush();

    [DllImport("gdi32")]
    private static extern int DeleteObject(nint obj);

    [DllImport("gdi32")]
    private static extern int DeleteDC(nint dc);
}

/// <summary>Where the plugin's engine link points: the Windows engine's pipe and a takes folder (the plugin's
/// AceStepDiagnostics_ConfigureLink; no engine start, no browser).</summary>
internal sealed unsafe class EngineLink(nint module, string pipeName, string takesFolder)
{
    public string PipeName => pipeName;

    public string TakesFolder => takesFolder;

    public void Configure()
    {
        Directory.CreateDirectory(takesFolder);
        var configure = (delegate* unmanaged<byte*, byte*, int, int, int>)NativeLibrary.GetExport(module, "AceStepDiagnostics_ConfigureLink");
        byte[] pipe = Encoding.UTF8.GetBytes(pipeName + "\0");
        byte[] folder = Encoding.UTF8.GetBytes(takesFolder + "\0");
        fixed (byte* p = pipe)
        fixed (byte* f = folder)
            configure(p, f, 0, 0);
    }

    public int LoadedTakes(nint component) =>
        ((delegate* unmanaged<nint, int>)NativeLibrary.GetExport(module, "AceStepDiagnostics_LoadedTakes"))(component);
}
