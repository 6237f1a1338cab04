namespace AceStep.Vst3;

/// <summary><c>IPlugView</c> slots (<c>gui/iplugview.h</c>).</summary>
public static class PlugViewSlots
{
    /// <summary><c>isPlatformTypeSupported(FIDString type)</c>.</summary>
    public const int IsPlatformTypeSupported = 3;

    /// <summary><c>attached(void* parent, FIDString type)</c>.</summary>
    public const int Attached = 4;

    /// <summary><c>removed()</c>.</summary>
    public const int Removed = 5;

    /// <summary><c>onWheel(float distance)</c>.</summary>
    public const int OnWheel = 6;

    /// <summary><c>onKeyDown(char16 key, int16 keyCode, int16 modifiers)</c>.</summary>
    public const int OnKeyDown = 7;

    /// <summary><c>onKeyUp(char16 key, int16 keyCode, int16 modifiers)</c>.</summary>
    public const int OnKeyUp = 8;

    /// <summary><c>getSize(ViewRect*)</c>.</summary>
    public const int GetSize = 9;

    /// <summary><c>onSize(ViewRect*)</c>.</summary>
    public const int OnSize = 10;

    /// <summary><c>onFocus(TBool)</c>.</summary>
    public const int OnFocus = 11;

    /// <summary><c>setFrame(IPlugFrame*)</c>.</summary>
    public const int SetFrame = 12;

    /// <summary><c>canResize()</c>.</summary>
    public const int CanResize = 13;

    /// <summary><c>checkSizeConstraint(ViewRect*)</c>.</summary>
    public const int CheckSizeConstraint = 14;

    /// <summary>Number of slots.</summary>
    public const int Count = 15;
}

/// <summary><c>IPlugFrame</c> slots (host side).</summary>
public static class PlugFrameSlots
{
    /// <summary><c>resizeView(IPlugView*, ViewRect*)</c>.</summary>
    public const int ResizeView = 3;

    /// <summary>Number of slots.</summary>
    public const int Count = 4;
}

/// <summary><c>IPlugViewContentScaleSupport</c> slots.</summary>
public static class ContentScaleSupportSlots
{
    /// <summary><c>setContentScaleFactor(float)</c>.</summary>
    public const int SetContentScaleFactor = 3;

    /// <summary>Number of slots.</summary>
    public const int Count = 4;
}

/// <summary><c>Linux::IRunLoop</c> slots (host side).</summary>
public static class RunLoopSlots
{
    /// <summary><c>registerEventHandler(IEventHandler*, FileDescriptor)</c>.</summary>
    public const int RegisterEventHandler = 3;

    /// <summary><c>unregisterEventHandler(IEventHandler*)</c>.</summary>
    public const int UnregisterEventHandler = 4;

    /// <summary><c>registerTimer(ITimerHandler*, TimerInterval ms)</c>.</summary>
    public const int RegisterTimer = 5;

    /// <summary><c>unregisterTimer(ITimerHandler*)</c>.</summary>
    public const int UnregisterTimer = 6;

    /// <summary>Number of slots.</summary>
    public const int Count = 7;
}

/// <summary><c>Linux::IEventHandler</c> and <c>Linux::ITimerHandler</c> slots (plug-in side): one method each.</summary>
public static class RunLoopHandlerSlots
{
    /// <summary><c>IEventHandler::onFDIsSet(int fd)</c> and <c>ITimerHandler::onTimer()</c>.</summary>
    public const int Callback = 3;

    /// <summary>Number of slots.</summary>
    public const int Count = 4;
}

/// <summary>The platform type strings of <c>IPlugView::attached</c> (<c>kPlatformType…</c>).</summary>
public static class PlatformTypes
{
    /// <summary>Windows: the parent is an <c>HWND</c>.</summary>
    public const string Hwnd = "HWND";

    /// <summary>macOS: the parent is an <c>NSView*</c>.</summary>
    public const string NsView = "NSView";

    /// <summary>Linux: the parent is an X11 window id (XEmbed).</summary>
    public const string X11EmbedWindowId = "X11EmbedWindowID";
}

/// <summary>Modifier bits of <c>onKeyDown</c> (<c>KeyModifier</c> in <c>keycodes.h</c>).</summary>
[Flags]
public enum KeyModifiers : short
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Shift.</summary>
    Shift = 1,

    /// <summary>Alt.</summary>
    Alternate = 2,

    /// <summary>Command on macOS, Control elsewhere.</summary>
    Command = 4,

    /// <summary>Control on macOS.</summary>
    Control = 8,
}

/// <summary>The <c>VirtualKeyCodes</c> of <c>keycodes.h</c> the editor reacts to.</summary>
public static class VirtualKeys
{
    /// <summary>KEY_BACK.</summary>
    public const short Back = 1;

    /// <summary>KEY_TAB.</summary>
    public const short Tab = 2;

    /// <summary>KEY_RETURN.</summary>
    public const short Return = 4;

    /// <summary>KEY_ESCAPE.</summary>
    public const short Escape = 6;

    /// <summary>KEY_END.</summary>
    public const short End = 9;

    /// <summary>KEY_HOME.</summary>
    public const short Home = 10;

    /// <summary>KEY_LEFT.</summary>
    public const short Left = 11;

    /// <summary>KEY_UP.</summary>
    public const short Up = 12;

    /// <summary>KEY_RIGHT.</summary>
    public const short Right = 13;

    /// <summary>KEY_DOWN.</summary>
    public const short Down = 14;

    /// <summary>KEY_PAGEUP.</summary>
    public const short PageUp = 15;

    /// <summary>KEY_PAGEDOWN.</summary>
    public const short PageDown = 16;

    /// <summary>KEY_DELETE.</summary>
    public const short Delete = 22;

    /// <summary>KEY_ENTER (numeric keypad).</summary>
    public const short Enter = 19;
}
