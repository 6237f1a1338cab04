using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// The host's <c>IPlugFrame</c> around an editor view, with the Linux <c>IRunLoop</c> behind it (queryInterface on the
/// frame, as the SDK says). <c>resizeView</c> is answered as a DAW does: it calls the view's onSize with the asked size.
/// The run loop runs only when <see cref="RunLoop.Run"/> is called, on the calling thread, like a host's UI loop.
/// </summary>
public sealed unsafe class HostPlugFrame : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private readonly List<ViewRect> _resizes = [];

    /// <summary>Creates the frame and its run loop.</summary>
    public HostPlugFrame()
        : base(s_vtable)
    {
    }

    /// <summary>The run loop the view registers its fd and timer with.</summary>
    public RunLoop Loop { get; } = new();

    /// <summary>The view resizeView resizes (set by the test once it has the view).</summary>
    public PlugViewRef? View { get; set; }

    /// <summary>Every size the view asked for.</summary>
    public IReadOnlyList<ViewRect> Resizes => [.. _resizes];

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IPlugFrame.Tuid;

    /// <inheritdoc/>
    protected override HostComObject? QueryOther(in Tuid iid) => iid == Iids.IRunLoop.Tuid ? Loop : null;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Loop.Dispose();
        base.Dispose(disposing);
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(PlugFrameSlots.Count);
        vtable[PlugFrameSlots.ResizeView] = (delegate* unmanaged[MemberFunction]<void*, nint, ViewRect*, int>)&ResizeView;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int ResizeView(void* self, nint view, ViewRect* rect)
    {
        var frame = Self<HostPlugFrame>(self);
        if (rect == null)
            return Vst3Result.InvalidArgument;
        frame._resizes.Add(*rect);
        return frame.View is { } v ? v.OnSize(*rect) : Vst3Result.Ok;
    }
}

/// <summary>
/// A Linux <c>IRunLoop</c> as hosts implement it: registered file descriptors are polled and registered timers fire,
/// all on the thread that calls <see cref="Run"/>. Keeps the counts a test checks (handlers left registered).
/// </summary>
public sealed unsafe class RunLoop : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private readonly List<(nint Handler, int Fd)> _handlers = [];
    private readonly List<Timer> _timers = [];

    /// <summary>Creates an empty loop.</summary>
    public RunLoop()
        : base(s_vtable)
    {
    }

    /// <summary>Event handlers registered now.</summary>
    public int EventHandlers => _handlers.Count;

    /// <summary>Timers registered now.</summary>
    public int Timers => _timers.Count;

    /// <summary>Runs the loop for <paramref name="duration"/>: polls the fds, fires due timers.</summary>
    /// <param name="duration">How long.</param>
    public void Run(TimeSpan duration)
    {
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            RunOnce(TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>Runs the loop until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    /// <param name="condition">Checked between rounds.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <returns>Whether the condition held.</returns>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (condition())
                return true;
            RunOnce(TimeSpan.FromMilliseconds(10));
        }

        return condition();
    }

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IRunLoop.Tuid;

    private void RunOnce(TimeSpan wait)
    {
        var handlers = _handlers.ToArray();
        if (handlers.Length > 0)
        {
            var fds = stackalloc PollFd[handlers.Length];
            for (int i = 0; i < handlers.Length; i++)
                fds[i] = new PollFd { Fd = handlers[i].Fd, Events = 1 };
            if (poll(fds, (nuint)handlers.Length, (int)wait.TotalMilliseconds) > 0)
            {
                for (int i = 0; i < handlers.Length; i++)
                {
                    if (fds[i].Revents != 0 && _handlers.Contains(handlers[i]))
                        ((delegate* unmanaged[MemberFunction]<nint, int, void>)Vst3Unknown.Slot(handlers[i].Handler, RunLoopHandlerSlots.Callback))(handlers[i].Handler, handlers[i].Fd);
                }
            }
        }
        else
        {
            Thread.Sleep(wait);
        }

        var now = DateTime.UtcNow;
        foreach (var timer in _timers.ToArray())
        {
            if (now >= timer.Due && _timers.Contains(timer))
            {
                timer.Due = now + timer.Interval;
                ((delegate* unmanaged[MemberFunction]<nint, void>)Vst3Unknown.Slot(timer.Handler, RunLoopHandlerSlots.Callback))(timer.Handler);
            }
        }
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(RunLoopSlots.Count);
        vtable[RunLoopSlots.RegisterEventHandler] = (delegate* unmanaged[MemberFunction]<void*, nint, int, int>)&RegisterEventHandler;
        vtable[RunLoopSlots.UnregisterEventHandler] = (delegate* unmanaged[MemberFunction]<void*, nint, int>)&UnregisterEventHandler;
        vtable[RunLoopSlots.RegisterTimer] = (delegate* unmanaged[MemberFunction]<void*, nint, ulong, int>)&RegisterTimer;
        vtable[RunLoopSlots.UnregisterTimer] = (delegate* unmanaged[MemberFunction]<void*, nint, int>)&UnregisterTimer;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int RegisterEventHandler(void* self, nint handler, int fd)
    {
        if (handler == 0 || fd < 0)
            return Vst3Result.InvalidArgument;
        Self<RunLoop>(self)._handlers.Add((handler, fd));
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int UnregisterEventHandler(void* self, nint handler)
    {
        int removed = Self<RunLoop>(self)._handlers.RemoveAll(h => h.Handler == handler);
        return removed > 0 ? Vst3Result.Ok : Vst3Result.InvalidArgument;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int RegisterTimer(void* self, nint handler, ulong milliseconds)
    {
        if (handler == 0 || milliseconds == 0)
            return Vst3Result.InvalidArgument;
        var interval = TimeSpan.FromMilliseconds(milliseconds);
        Self<RunLoop>(self)._timers.Add(new Timer { Handler = handler, Interval = interval, Due = DateTime.UtcNow + interval });
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int UnregisterTimer(void* self, nint handler)
    {
        int removed = Self<RunLoop>(self)._timers.RemoveAll(t => t.Handler == handler);
        return removed > 0 ? Vst3Result.Ok : Vst3Result.InvalidArgument;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int poll(PollFd* fds, nuint count, int timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    private sealed class Timer
    {
        public nint Handler { get; init; }

        public TimeSpan Interval { get; init; }

        public DateTime Due { get; set; }
    }
}
