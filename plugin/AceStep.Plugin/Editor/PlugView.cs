using System.Text;
using AceStep.Plugin.Controller;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Editor;

/// <summary>
/// The editor view the controller's createView returns: <c>IPlugView</c>, <c>IPlugViewContentScaleSupport</c>, and on
/// Linux the <c>IEventHandler</c>/<c>ITimerHandler</c> the host's <c>IRunLoop</c> calls. The window itself is behind
/// <see cref="IEditorWindow"/> (X11 here); the content is the platform-independent <see cref="Editor"/>, fed by
/// <see cref="EditorBridge"/> from the worker's state. Everything runs on the host's UI thread.
/// </summary>
internal sealed unsafe class PlugView : ComObject
{
    public const int PlugViewSlot = 0;
    public const int ContentScaleSlot = 1;
    public const int EventHandlerSlot = 2;
    public const int TimerHandlerSlot = 3;

    /// <summary>Redraw and state polling interval asked of the host's run loop.</summary>
    private const ulong TimerMilliseconds = 30;

    private readonly EditorBridge _bridge;
    private readonly Editor _editor;
    private void* _frame;
    private void* _runLoop;
    private IEditorWindow? _window;
    private bool _eventHandlerRegistered;
    private bool _timerRegistered;

    public PlugView(AceStepController controller)
        : base([PlugViewVtables.View, PlugViewVtables.ContentScale, PlugViewVtables.EventHandler, PlugViewVtables.TimerHandler])
    {
        _bridge = new EditorBridge(controller);
        _editor = new Editor(_bridge, EditorResources.Fonts);
        _bridge.Attach(_editor, this);
        var (width, height) = _editor.PhysicalSize(EditorLayout.DefaultWidth, EditorLayout.DefaultHeight);
        _editor.SetSize(width, height);
    }

    /// <summary>Views created and not yet destroyed (diagnostics).</summary>
    public static int Open => Volatile.Read(ref s_open);

    private static int s_open;

    public IEditorWindow? Window => _window;

    /// <summary>
    /// X11 on Linux. HWND on Windows only with ACESTEP_EDITOR_WIN32=1 until it has run there (docs/plugin-editor.md);
    /// NSView not yet.
    /// </summary>
    public static bool IsPlatformTypeSupported(string type) =>
        EditorResources.Available
        && ((OperatingSystem.IsLinux() && type == PlatformTypes.X11EmbedWindowId)
            || (OperatingSystem.IsWindows() && type == PlatformTypes.Hwnd && Environment.GetEnvironmentVariable("ACESTEP_EDITOR_WIN32") == "1"));

    public int Attached(nint parent, string type)
    {
        if (_window is not null)
            return Vst3Result.False;
        if (!IsPlatformTypeSupported(type) || parent == 0)
            return Vst3Result.False;
        IEditorWindow window;
        if (OperatingSystem.IsWindows())
        {
            window = new Win32EditorWindow(_editor, OnTimer);
        }
        else
        {
            // Linux has no event loop of its own for a plugin: without the host's run loop the window could not work.
            if (_runLoop == null)
                return Vst3Result.False;
            window = new X11EditorWindow(_editor);
        }

        if (!window.Open(parent, _editor.PixelWidth, _editor.PixelHeight))
        {
            window.Dispose();
            return Vst3Result.False;
        }

        _window = window;
        if (window.EventFd >= 0 && _runLoop != null)
        {
            _eventHandlerRegistered = HostRunLoop.RegisterEventHandler(_runLoop, Slot(EventHandlerSlot), window.EventFd);
            _timerRegistered = HostRunLoop.RegisterTimer(_runLoop, Slot(TimerHandlerSlot), TimerMilliseconds);
        }
        Interlocked.Increment(ref s_open);
        _bridge.Opened();
        OnTimer();
        return Vst3Result.Ok;
    }

    public int Removed()
    {
        if (_window is not { } window)
            return Vst3Result.False;
        if (_runLoop != null)
        {
            if (_eventHandlerRegistered)
                HostRunLoop.UnregisterEventHandler(_runLoop, Slot(EventHandlerSlot));
            if (_timerRegistered)
                HostRunLoop.UnregisterTimer(_runLoop, Slot(TimerHandlerSlot));
        }

        _eventHandlerRegistered = _timerRegistered = false;
        _editor.Flush();
        _bridge.Closed();
        _window = null;
        window.Dispose();
        Interlocked.Decrement(ref s_open);
        return Vst3Result.Ok;
    }

    public void GetSize(ViewRect* rect) => *rect = new ViewRect { Right = _editor.PixelWidth, Bottom = _editor.PixelHeight };

    public int OnSize(ViewRect* rect)
    {
        var (width, height) = _editor.Constrain(rect->Right - rect->Left, rect->Bottom - rect->Top);
        if (_window is { } window)
            window.Resize(width, height);
        else
            _editor.SetSize(width, height);
        _window?.Present();
        return Vst3Result.Ok;
    }

    public int CheckSizeConstraint(ViewRect* rect)
    {
        var (width, height) = _editor.Constrain(rect->Right - rect->Left, rect->Bottom - rect->Top);
        rect->Right = rect->Left + width;
        rect->Bottom = rect->Top + height;
        return Vst3Result.Ok;
    }

    public int SetFrame(void* frame)
    {
        if (frame != null)
            HostUnknown.AddRef(frame);
        ReleaseFrame();
        _frame = frame;
        if (frame != null)
            _runLoop = HostUnknown.Query(frame, Iids.IRunLoop);
        return Vst3Result.Ok;
    }

    /// <summary>HiDPI: the host's scale; the view asks to be resized to the same logical size at the new scale.</summary>
    public int SetContentScaleFactor(float factor)
    {
        float logicalWidth = _editor.PixelWidth / _editor.Scale;
        float logicalHeight = _editor.PixelHeight / _editor.Scale;
        _editor.SetScale(factor);
        var (width, height) = _editor.Constrain(_editor.PhysicalSize(logicalWidth, logicalHeight).Width, _editor.PhysicalSize(logicalWidth, logicalHeight).Height);
        if (_frame != null && (width != _editor.PixelWidth || height != _editor.PixelHeight))
        {
            var rect = new ViewRect { Right = width, Bottom = height };
            HostPlugFrame.ResizeView(_frame, Slot(PlugViewSlot), &rect);
        }
        else
        {
            _editor.SetSize(width, height);
        }

        return Vst3Result.Ok;
    }

    /// <summary>A key from the host (its window had the focus): VST3 virtual key or character.</summary>
    public int OnKeyDown(char key, short keyCode, short modifiers)
    {
        var mods = ((modifiers & (short)KeyModifiers.Shift) != 0 ? Modifiers.Shift : Modifiers.None)
            | ((modifiers & (short)(KeyModifiers.Command | KeyModifiers.Control)) != 0 ? Modifiers.Control : Modifiers.None)
            | ((modifiers & (short)KeyModifiers.Alternate) != 0 ? Modifiers.Alt : Modifiers.None);
        var editorKey = HostKeys.ToEditorKey(keyCode, key, (mods & Modifiers.Control) != 0);
        bool handled = editorKey != EditorKey.None
            ? _editor.KeyDown(editorKey, mods)
            : key >= ' ' && (mods & Modifiers.Control) == 0 && _editor.TextInput(key.ToString());
        _window?.Present();
        return handled ? Vst3Result.True : Vst3Result.False;
    }

    public int OnKeyUp() => _editor.IsTextFocused ? Vst3Result.True : Vst3Result.False;

    public int OnWheel(float distance)
    {
        _editor.Wheel(_editor.PixelWidth / 2f, _editor.PixelHeight - 60, distance);
        return Vst3Result.True;
    }

    public int OnFocus(bool focused)
    {
        if (!focused)
            _editor.FocusLost();
        return Vst3Result.Ok;
    }

    /// <summary>The host's run loop: the X connection has data.</summary>
    public void OnFdIsSet()
    {
        _window?.ProcessEvents();
        _window?.Present();
    }

    /// <summary>The host's run loop timer: new worker state, caret blink, pending events, redraw.</summary>
    public void OnTimer()
    {
        if (_window is not { } window)
            return;
        _bridge.Poll();
        _editor.Tick();
        window.ProcessEvents();
        window.Present();
    }

    protected override int SlotFor(in Tuid iid) =>
        iid == Iids.IPlugView.Tuid ? PlugViewSlot
        : iid == Iids.IPlugViewContentScaleSupport.Tuid ? ContentScaleSlot
        : iid == Iids.IEventHandler.Tuid ? EventHandlerSlot
        : iid == Iids.ITimerHandler.Tuid ? TimerHandlerSlot
        : -1;

    protected override void OnDestroy()
    {
        Removed();
        ReleaseFrame();
    }

    private void ReleaseFrame()
    {
        if (_runLoop != null)
        {
            HostUnknown.Release(_runLoop);
            _runLoop = null;
        }

        if (_frame != null)
        {
            HostUnknown.Release(_frame);
            _frame = null;
        }
    }

    /// <summary>The platform type string of attached/isPlatformTypeSupported.</summary>
    public static string ReadType(byte* type) => type == null ? "" : Encoding.ASCII.GetString(new ReadOnlySpan<byte>(type, IndexOfNul(type)));

    private static int IndexOfNul(byte* text)
    {
        int length = 0;
        while (length < 64 && text[length] != 0)
            length++;
        return length;
    }
}

/// <summary>Calls on the host's <c>IPlugFrame</c> and <c>Linux::IRunLoop</c>.</summary>
internal static unsafe class HostRunLoop
{
    public static bool RegisterEventHandler(void* runLoop, void* handler, int fd) =>
        fd >= 0 && ((delegate* unmanaged[MemberFunction]<void*, void*, int, int>)(*(void***)runLoop)[RunLoopSlots.RegisterEventHandler])(runLoop, handler, fd) == Vst3Result.Ok;

    public static void UnregisterEventHandler(void* runLoop, void* handler) =>
        ((delegate* unmanaged[MemberFunction]<void*, void*, int>)(*(void***)runLoop)[RunLoopSlots.UnregisterEventHandler])(runLoop, handler);

    public static bool RegisterTimer(void* runLoop, void* handler, ulong milliseconds) =>
        ((delegate* unmanaged[MemberFunction]<void*, void*, ulong, int>)(*(void***)runLoop)[RunLoopSlots.RegisterTimer])(runLoop, handler, milliseconds) == Vst3Result.Ok;

    public static void UnregisterTimer(void* runLoop, void* handler) =>
        ((delegate* unmanaged[MemberFunction]<void*, void*, int>)(*(void***)runLoop)[RunLoopSlots.UnregisterTimer])(runLoop, handler);
}

/// <summary>Calls on the host's <c>IPlugFrame</c>.</summary>
internal static unsafe class HostPlugFrame
{
    public static int ResizeView(void* frame, void* view, ViewRect* rect) =>
        ((delegate* unmanaged[MemberFunction]<void*, void*, ViewRect*, int>)(*(void***)frame)[PlugFrameSlots.ResizeView])(frame, view, rect);
}

/// <summary>VST3 virtual key codes (onKeyDown from the host) to the editor's keys.</summary>
internal static class HostKeys
{
    public static EditorKey ToEditorKey(short keyCode, char key, bool control)
    {
        var mapped = keyCode switch
        {
            VirtualKeys.Back => EditorKey.Backspace,
            VirtualKeys.Tab => EditorKey.Tab,
            VirtualKeys.Return or VirtualKeys.Enter => EditorKey.Return,
            VirtualKeys.Escape => EditorKey.Escape,
            VirtualKeys.End => EditorKey.End,
            VirtualKeys.Home => EditorKey.Home,
            VirtualKeys.Left => EditorKey.Left,
            VirtualKeys.Up => EditorKey.Up,
            VirtualKeys.Right => EditorKey.Right,
            VirtualKeys.Down => EditorKey.Down,
            VirtualKeys.PageUp => EditorKey.PageUp,
            VirtualKeys.PageDown => EditorKey.PageDown,
            VirtualKeys.Delete => EditorKey.Delete,
            _ => EditorKey.None,
        };
        if (mapped != EditorKey.None || !control)
            return mapped;
        return char.ToLowerInvariant(key) switch
        {
            'a' => EditorKey.A,
            'c' => EditorKey.C,
            'v' => EditorKey.V,
            'x' => EditorKey.X,
            _ => EditorKey.None,
        };
    }
}
