using System.Runtime.InteropServices;
using System.Text;
using static AceStep.Plugin.Tests.Xlib;

// Xlib reports failures asynchronously; these calls' return values carry nothing.
#pragma warning disable CA1806

namespace AceStep.Plugin.Tests;

/// <summary>
/// A drop target as a DAW's track list is one, written from the XDND specification (version 5) on an X connection
/// of its own: a top-level window that declares <c>XdndAware</c>, accepts every position with <c>XdndActionCopy</c>,
/// on <c>XdndDrop</c> converts <c>XdndSelection</c> to <c>text/uri-list</c> and answers <c>XdndFinished</c>. It reads
/// its connection only when <see cref="Pump"/> is called (from the test's run loop), so everything stays on one
/// thread. It also synthesizes the pointer and keys through XTest (libXtst), the way a real mouse reaches the server.
/// </summary>
internal sealed unsafe class XdndDropTarget : IDisposable
{
    private const int ClientMessage = 33;
    private const int SelectionNotify = 31;
    private readonly nint _display;
    private readonly nint _enter;
    private readonly nint _position;
    private readonly nint _status;
    private readonly nint _leave;
    private readonly nint _drop;
    private readonly nint _finished;
    private readonly nint _selection;
    private readonly nint _uriList;
    private readonly nint _copy;
    private readonly nint _into;
    private nuint _source;

    public XdndDropTarget(int x, int y, int width, int height)
    {
        _display = XOpenDisplay(null);
        Assert.True(_display != 0, "the drop target could not open the display");
        Window = XCreateSimpleWindow(_display, XDefaultRootWindow(_display), x, y, (uint)width, (uint)height, 0, 0, 0x304050);
        _enter = Atom("XdndEnter");
        _position = Atom("XdndPosition");
        _status = Atom("XdndStatus");
        _leave = Atom("XdndLeave");
        _drop = Atom("XdndDrop");
        _finished = Atom("XdndFinished");
        _selection = Atom("XdndSelection");
        _uriList = Atom("text/uri-list");
        _copy = Atom("XdndActionCopy");
        _into = Atom("ACESTEP_TEST_DROP");
        nint version = 5;
        XChangeProperty(_display, Window, Atom("XdndAware"), 4 /* XA_ATOM */, 32, 0, &version, 1);
        XMapRaised(_display, Window);
        XSync(_display, 0);
        Bounds = (x, y, width, height);
    }

    public nuint Window { get; }

    public (int X, int Y, int Width, int Height) Bounds { get; }

    /// <summary>XdndEnter messages received, and the version and types the first one announced.</summary>
    public int Enters { get; private set; }

    public int Version { get; private set; }

    public List<string> OfferedTypes { get; } = [];

    public int Positions { get; private set; }

    public int Leaves { get; private set; }

    public int Drops { get; private set; }

    /// <summary>The URIs of every <c>text/uri-list</c> received (each drop's list, CRLF-separated, comments dropped).</summary>
    public List<string> Uris { get; } = [];

    /// <summary>The raw text/uri-list as it came, to check its CRLF ending.</summary>
    public List<string> RawLists { get; } = [];

    public int FinishedSent { get; private set; }

    /// <summary>Handles whatever arrived on the target's connection.</summary>
    public void Pump()
    {
        XSync(_display, 0);
        byte* e = stackalloc byte[192];
        while (XPending(_display) > 0)
        {
            XNextEvent(_display, e);
            int type = *(int*)e;
            if (type == ClientMessage)
                OnMessage(e);
            else if (type == SelectionNotify)
                OnData(e);
        }
    }

    /// <summary>Moves the pointer to root coordinates (XTest: as a mouse would).</summary>
    public void MovePointer(int x, int y)
    {
        XTestFakeMotionEvent(_display, -1, x, y, 0);
        XFlush(_display);
    }

    public void Button(bool press)
    {
        XTestFakeButtonEvent(_display, 1, press ? 1 : 0, 0);
        XFlush(_display);
    }

    public void PressEscape()
    {
        byte code = XKeysymToKeycode(_display, 0xff1b);
        XTestFakeKeyEvent(_display, code, 1, 0);
        XTestFakeKeyEvent(_display, code, 0, 0);
        XFlush(_display);
    }

    /// <summary>Where a window's origin lies on the screen.</summary>
    public (int X, int Y) RootPosition(nuint window)
    {
        int x;
        int y;
        nuint child;
        Assert.NotEqual(0, XTranslateCoordinates(_display, window, XDefaultRootWindow(_display), 0, 0, &x, &y, &child));
        return (x, y);
    }

    public void Dispose()
    {
        XDestroyWindow(_display, Window);
        XCloseDisplay(_display);
    }

    private void OnMessage(byte* e)
    {
        nint type = *(nint*)(e + 40);
        nint* l = (nint*)(e + 56);
        if (type == _enter)
        {
            if (Enters++ == 0)
            {
                Version = (int)((l[1] >> 24) & 0xFF);
                for (int i = 2; i < 5; i++)
                {
                    if (l[i] != 0)
                        OfferedTypes.Add(AtomName(l[i]));
                }
            }

            _source = (nuint)l[0];
        }
        else if (type == _position)
        {
            Positions++;
            _source = (nuint)l[0];
            // Accept anywhere in the window, copying; an empty rectangle asks for every position.
            Reply(_status, 1 | 2, 0, 0, _copy);
        }
        else if (type == _leave)
        {
            Leaves++;
        }
        else if (type == _drop)
        {
            Drops++;
            _source = (nuint)l[0];
            XConvertSelection(_display, _selection, _uriList, _into, Window, (nuint)l[2]);
            XFlush(_display);
        }
    }

    private void OnData(byte* e)
    {
        nint property = *(nint*)(e + 56);
        bool success = false;
        if (property != 0)
        {
            nint actualType;
            int format;
            nuint items;
            nuint after;
            byte* data = null;
            if (XGetWindowProperty(_display, Window, _into, 0, 1 << 20, 1, 0, &actualType, &format, &items, &after, &data) == 0 && data != null)
            {
                string list = Encoding.UTF8.GetString(data, (int)items);
                XFree(data);
                if (actualType == _uriList && format == 8)
                {
                    RawLists.Add(list);
                    Uris.AddRange(list.Split("\r\n").Where(line => line.Length > 0 && !line.StartsWith('#')));
                    success = true;
                }
            }
        }

        Reply(_finished, success ? 1 : 0, success ? _copy : 0, 0, 0);
        FinishedSent++;
    }

    private void Reply(nint type, nint l1, nint l2, nint l3, nint l4)
    {
        byte* m = stackalloc byte[192];
        new Span<byte>(m, 192).Clear();
        *(int*)m = ClientMessage;
        *(nuint*)(m + 32) = _source;
        *(nint*)(m + 40) = type;
        *(int*)(m + 48) = 32;
        nint* l = (nint*)(m + 56);
        l[0] = (nint)Window;
        l[1] = l1;
        l[2] = l2;
        l[3] = l3;
        l[4] = l4;
        XSendEvent(_display, _source, 0, 0, m);
        XFlush(_display);
    }

    private nint Atom(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
            return XInternAtom(_display, p, 0);
    }

    private string AtomName(nint atom)
    {
        byte* name = XGetAtomName(_display, atom);
        try
        {
            return Marshal.PtrToStringUTF8((nint)name) ?? "";
        }
        finally
        {
            XFree(name);
        }
    }
}
