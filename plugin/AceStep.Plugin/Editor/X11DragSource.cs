using System.Text;

// Xlib reports failures asynchronously (through X11ErrorTrap), not in the return values of these calls.
#pragma warning disable CA1806

namespace AceStep.Plugin.Editor;

/// <summary>
/// The editor window as an XDND drag source (protocol version 5, freedesktop.org's "Drag-and-Drop Protocol for the X
/// Window System"): one file offered as <c>text/uri-list</c> and <c>text/plain</c>. It owns <c>XdndSelection</c>,
/// grabs the pointer and keyboard, finds the XdndAware window under the pointer (or its XdndProxy), and talks
/// Enter/Position/Leave/Drop to it; the target reads the file's URI through the selection and answers XdndFinished.
/// It never reads the X connection itself: <see cref="X11EditorWindow"/> hands it the events it owns, on the host's
/// UI thread, and the view's timer lets it give up on a silent target.
/// </summary>
internal sealed unsafe class X11DragSource
{
    /// <summary>The XDND version spoken (targets announcing less get their own, down to 3).</summary>
    private const int Version = 5;

    /// <summary>How long a target may take to answer the last position (after release) and to finish after a drop.</summary>
    private static readonly TimeSpan s_statusTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_finishTimeout = TimeSpan.FromSeconds(5);

    private readonly nint _display;
    private readonly nuint _window;
    private readonly Action<bool> _ended;
    private readonly nint _xdndAware;
    private readonly nint _xdndProxy;
    private readonly nint _xdndSelection;
    private readonly nint _enter;
    private readonly nint _position;
    private readonly nint _status;
    private readonly nint _leave;
    private readonly nint _drop;
    private readonly nint _finished;
    private readonly nint _actionCopy;
    private readonly nint _uriList;
    private readonly nint _textPlain;
    private readonly nint _targets;
    private readonly nint _utf8;

    private DragState _state;
    private string _path = "";
    private nuint _cursor;

    // The window under the pointer that takes drops (the XdndAware one), where messages go (itself or its proxy), and
    // the version both speak.
    private nuint _target;
    private nuint _targetMessages;
    private int _targetVersion;
    private bool _accepted;
    private bool _awaitingStatus;
    private (int X, int Y, nuint Time)? _pendingPosition;
    private nuint _releaseTime;
    private DateTime _deadline = DateTime.MaxValue;

    public X11DragSource(nint display, nuint window, Action<bool> ended)
    {
        _display = display;
        _window = window;
        _ended = ended;
        _xdndAware = X11Native.Atom(display, "XdndAware");
        _xdndProxy = X11Native.Atom(display, "XdndProxy");
        _xdndSelection = X11Native.Atom(display, "XdndSelection");
        _enter = X11Native.Atom(display, "XdndEnter");
        _position = X11Native.Atom(display, "XdndPosition");
        _status = X11Native.Atom(display, "XdndStatus");
        _leave = X11Native.Atom(display, "XdndLeave");
        _drop = X11Native.Atom(display, "XdndDrop");
        _finished = X11Native.Atom(display, "XdndFinished");
        _actionCopy = X11Native.Atom(display, "XdndActionCopy");
        _uriList = X11Native.Atom(display, "text/uri-list");
        _textPlain = X11Native.Atom(display, "text/plain");
        _targets = X11Native.Atom(display, "TARGETS");
        _utf8 = X11Native.Atom(display, "UTF8_STRING");
    }

    private enum DragState
    {
        Idle,

        /// <summary>The button is held: the pointer is grabbed and followed.</summary>
        Dragging,

        /// <summary>Released over a target whose answer to the last position has not come yet.</summary>
        Releasing,

        /// <summary>XdndDrop sent: waiting for XdndFinished while answering the target's selection requests.</summary>
        Dropped,
    }

    /// <summary>Whether pointer and keyboard input belong to the drag (the button is held).</summary>
    public bool FollowsPointer => _state == DragState.Dragging;

    /// <summary>Whether a drag is under way in any stage.</summary>
    public bool Active => _state != DragState.Idle;

    /// <summary>The selection this source owns while dragging.</summary>
    public nint Selection => _xdndSelection;

    /// <summary>Starts dragging <paramref name="path"/> from the pointer's position (root coordinates) at an event's time.</summary>
    public bool Start(string path, int rootX, int rootY, nuint time)
    {
        if (_state != DragState.Idle)
            return false;
        _path = path;
        X11Native.XSetSelectionOwner(_display, _xdndSelection, _window, time);
        if (X11Native.XGetSelectionOwner(_display, _xdndSelection) != _window)
            return false;
        if (_cursor == 0)
            _cursor = X11Native.XCreateFontCursor(_display, X11Native.XC_fleur);
        // The button press already grabbed the pointer implicitly; the explicit grab keeps it past that and shows the cursor.
        X11Native.XGrabPointer(_display, _window, 0, (uint)(X11Native.ButtonReleaseMask | X11Native.PointerMotionMask),
            X11Native.GrabModeAsync, X11Native.GrabModeAsync, 0, _cursor, time);
        // Escape must reach the drag even when the host's window has the keyboard.
        X11Native.XGrabKeyboard(_display, _window, 0, X11Native.GrabModeAsync, X11Native.GrabModeAsync, time);
        _state = DragState.Dragging;
        _target = _targetMessages = 0;
        _accepted = _awaitingStatus = false;
        _pendingPosition = null;
        Motion(rootX, rootY, time);
        return true;
    }

    /// <summary>The pointer moved (root coordinates).</summary>
    public void Motion(int rootX, int rootY, nuint time)
    {
        if (_state != DragState.Dragging)
            return;
        var (target, messages, version) = FindTarget(rootX, rootY);
        if (target != _target)
        {
            if (_target != 0)
                Send(_leave, 0, 0, 0, 0);
            _target = target;
            _targetMessages = messages;
            _targetVersion = version;
            _accepted = _awaitingStatus = false;
            _pendingPosition = null;
            if (target != 0)
                Send(_enter, (nint)version << 24, _uriList, _textPlain, 0); // bit 0 clear: these are all the types
        }

        if (_target == 0)
            return;
        // One position at a time: the next goes when the target has answered this one (the protocol's flow control).
        if (_awaitingStatus)
        {
            _pendingPosition = (rootX, rootY, time);
            return;
        }

        SendPosition(rootX, rootY, time);
    }

    /// <summary>The button was released: drop where the target accepts, else nothing.</summary>
    public void Release(nuint time)
    {
        if (_state != DragState.Dragging)
            return;
        Ungrab(time);
        _releaseTime = time;
        if (_target == 0)
        {
            End(dropped: false);
            return;
        }

        if (_awaitingStatus)
        {
            // The target has not answered the last position: its answer decides (or the timeout).
            _state = DragState.Releasing;
            _deadline = DateTime.UtcNow + s_statusTimeout;
            return;
        }

        DropOrLeave();
    }

    /// <summary>Escape or the window going away: the target hears XdndLeave, nothing is dropped.</summary>
    public void Cancel(nuint time)
    {
        if (_state == DragState.Idle)
            return;
        if (_state == DragState.Dragging)
            Ungrab(time);
        if (_target != 0 && _state != DragState.Dropped)
            Send(_leave, 0, 0, 0, 0);
        End(dropped: false);
    }

    /// <summary>A ClientMessage to the editor window: XdndStatus or XdndFinished from the target (others are ignored).</summary>
    public void ClientMessage(X11Native.XEvent* e)
    {
        nint type = X11Native.Field<nint>(e, 40);
        nuint from = (nuint)X11Native.Field<nint>(e, 56);
        if (type == _status)
        {
            if (from != _target || _state is DragState.Idle or DragState.Dropped)
                return;
            _awaitingStatus = false;
            _accepted = (X11Native.Field<nint>(e, 64) & 1) != 0;
            if (_state == DragState.Releasing)
                DropOrLeave();
            else if (_pendingPosition is { } next)
            {
                _pendingPosition = null;
                SendPosition(next.X, next.Y, next.Time);
            }
        }
        else if (type == _finished && from == _target && _state == DragState.Dropped)
        {
            End(dropped: _targetVersion < 5 || (X11Native.Field<nint>(e, 64) & 1) != 0);
        }
    }

    /// <summary>Answers a request for <c>XdndSelection</c>: the file's URI, its path as text, or the list of both.</summary>
    public void AnswerSelection(X11Native.XEvent* e)
    {
        var request = X11Native.SelectionRequestFields.Of(e);
        bool refused = false;
        if (_path.Length == 0)
        {
            refused = true;
        }
        else if (request.Target == _targets)
        {
            nint* atoms = stackalloc nint[4] { _targets, _uriList, _textPlain, _utf8 };
            request.WriteAtoms(_display, atoms, 4);
        }
        else if (request.Target == _uriList || request.Target == _textPlain || request.Target == _utf8)
        {
            // RFC 2483: each URI ends in CRLF. The plain text is the path itself (what a terminal or text field wants).
            string text = request.Target == _uriList ? FileUri.FromPath(_path) + "\r\n" : _path;
            request.WriteBytes(_display, Encoding.UTF8.GetBytes(text));
        }
        else
        {
            refused = true;
        }

        request.Notify(_display, refused);
    }

    /// <summary>Timer tick: a target that stays silent after the release or the drop does not hold the drag forever.</summary>
    public void CheckTimeout()
    {
        if (_state is DragState.Releasing or DragState.Dropped && DateTime.UtcNow >= _deadline)
        {
            if (_state == DragState.Releasing && _target != 0)
                Send(_leave, 0, 0, 0, 0);
            End(dropped: false);
        }
    }

    /// <summary>Ends any drag and frees the cursor (the window closes; its connection goes next).</summary>
    public void Close(nuint time)
    {
        Cancel(time);
        if (_cursor != 0)
            X11Native.XFreeCursor(_display, _cursor);
        _cursor = 0;
    }

    private void DropOrLeave()
    {
        if (_accepted)
        {
            Send(_drop, 0, (nint)_releaseTime, 0, 0);
            _state = DragState.Dropped;
            _deadline = DateTime.UtcNow + s_finishTimeout;
        }
        else
        {
            Send(_leave, 0, 0, 0, 0);
            End(dropped: false);
        }
    }

    private void SendPosition(int rootX, int rootY, nuint time)
    {
        Send(_position, 0, ((nint)rootX << 16) | (nint)(rootY & 0xFFFF), (nint)time, _actionCopy);
        _awaitingStatus = true;
    }

    private void End(bool dropped)
    {
        _state = DragState.Idle;
        _target = _targetMessages = 0;
        _awaitingStatus = _accepted = false;
        _pendingPosition = null;
        _deadline = DateTime.MaxValue;
        _ended(dropped);
    }

    private void Ungrab(nuint time)
    {
        X11Native.XUngrabPointer(_display, time);
        X11Native.XUngrabKeyboard(_display, time);
        X11Native.XFlush(_display);
    }

    // An XDND client message to the target: the window field names the target even when it goes to its proxy, and
    // data.l[0] is always the source window.
    private void Send(nint type, nint l1, nint l2, nint l3, nint l4)
    {
        X11Native.XEvent message = default;
        X11Native.XEvent* m = &message;
        m->Type = X11Native.ClientMessage;
        X11Native.SetField(m, 32, _target);
        X11Native.SetField(m, 40, type);
        X11Native.SetField(m, 48, 32);
        X11Native.SetField(m, 56, (nint)_window);
        X11Native.SetField(m, 64, l1);
        X11Native.SetField(m, 72, l2);
        X11Native.SetField(m, 80, l3);
        X11Native.SetField(m, 88, l4);
        X11Native.XSendEvent(_display, _targetMessages, 0, 0, m);
        X11Native.XFlush(_display);
    }

    // From the root down the stack of windows under the pointer, the first that declares XdndAware (a top-level
    // window, or its client window under a window manager's frame) is the target; messages go to its XdndProxy when it
    // names one that names itself.
    private (nuint Target, nuint Messages, int Version) FindTarget(int rootX, int rootY)
    {
        nuint root = X11Native.XDefaultRootWindow(_display);
        nuint window = root;
        for (int depth = 0; depth < 16; depth++)
        {
            int x;
            int y;
            nuint child;
            if (X11Native.XTranslateCoordinates(_display, root, window, rootX, rootY, &x, &y, &child) == 0 || child == 0)
                return (0, 0, 0);
            window = child;
            if (window == _window)
                return (0, 0, 0); // over the editor itself: nothing to drop on
            nuint messages = window;
            if (ReadLong(window, _xdndProxy, X11Native.XA_WINDOW) is { } proxy && proxy != 0
                && ReadLong((nuint)proxy, _xdndProxy, X11Native.XA_WINDOW) == proxy)
                messages = (nuint)proxy;
            if (ReadLong(messages, _xdndAware, X11Native.XA_ATOM) is { } version && version >= 3)
                return (window, messages, (int)Math.Min(version, Version));
        }

        return (0, 0, 0);
    }

    // The first 32-bit item of a window property of the given type, or null.
    private nint? ReadLong(nuint window, nint property, nint type)
    {
        nint actualType;
        int format;
        nuint items;
        nuint after;
        byte* data = null;
        if (X11Native.XGetWindowProperty(_display, window, property, 0, 1, 0, type, &actualType, &format, &items, &after, &data) != 0)
            return null;
        try
        {
            return actualType == type && format == 32 && items >= 1 && data != null ? *(nint*)data : null;
        }
        finally
        {
            if (data != null)
                X11Native.XFree(data);
        }
    }
}
