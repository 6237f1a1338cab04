using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.Editor;

/// <summary>
/// The native entry points of <see cref="PlugView"/>. Each catches everything: an exception unwinding into the host
/// ends its process (CA1031 is suppressed for that reason only).
/// </summary>
internal static unsafe class PlugViewVtables
{
    public static nint View { get; } = (nint)CreatePlugView();

    public static nint ContentScale { get; } = (nint)CreateContentScale();

    public static nint EventHandler { get; } = (nint)CreateHandler(&OnFdIsSet);

    public static nint TimerHandler { get; } = (nint)CreateTimer();

    private static void** CreatePlugView()
    {
        void** v = ComObjectVtables.Create(PlugViewSlots.Count);
        v[PlugViewSlots.IsPlatformTypeSupported] = (delegate* unmanaged[MemberFunction]<void*, byte*, int>)&IsPlatformTypeSupported;
        v[PlugViewSlots.Attached] = (delegate* unmanaged[MemberFunction]<void*, nint, byte*, int>)&Attached;
        v[PlugViewSlots.Removed] = (delegate* unmanaged[MemberFunction]<void*, int>)&Removed;
        v[PlugViewSlots.OnWheel] = (delegate* unmanaged[MemberFunction]<void*, float, int>)&OnWheel;
        v[PlugViewSlots.OnKeyDown] = (delegate* unmanaged[MemberFunction]<void*, char, short, short, int>)&OnKeyDown;
        v[PlugViewSlots.OnKeyUp] = (delegate* unmanaged[MemberFunction]<void*, char, short, short, int>)&OnKeyUp;
        v[PlugViewSlots.GetSize] = (delegate* unmanaged[MemberFunction]<void*, ViewRect*, int>)&GetSize;
        v[PlugViewSlots.OnSize] = (delegate* unmanaged[MemberFunction]<void*, ViewRect*, int>)&OnSize;
        v[PlugViewSlots.OnFocus] = (delegate* unmanaged[MemberFunction]<void*, byte, int>)&OnFocus;
        v[PlugViewSlots.SetFrame] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetFrame;
        v[PlugViewSlots.CanResize] = (delegate* unmanaged[MemberFunction]<void*, int>)&CanResize;
        v[PlugViewSlots.CheckSizeConstraint] = (delegate* unmanaged[MemberFunction]<void*, ViewRect*, int>)&CheckSizeConstraint;
        return v;
    }

    private static void** CreateContentScale()
    {
        void** v = ComObjectVtables.Create(ContentScaleSupportSlots.Count);
        v[ContentScaleSupportSlots.SetContentScaleFactor] = (delegate* unmanaged[MemberFunction]<void*, float, int>)&SetContentScaleFactor;
        return v;
    }

    private static void** CreateHandler(delegate* unmanaged[MemberFunction]<void*, int, void> onFdIsSet)
    {
        void** v = ComObjectVtables.Create(RunLoopHandlerSlots.Count);
        v[RunLoopHandlerSlots.Callback] = onFdIsSet;
        return v;
    }

    private static void** CreateTimer()
    {
        void** v = ComObjectVtables.Create(RunLoopHandlerSlots.Count);
        v[RunLoopHandlerSlots.Callback] = (delegate* unmanaged[MemberFunction]<void*, void>)&OnTimer;
        return v;
    }

    private static PlugView? Self(void* self) => NativeSlots.Resolve<PlugView>(self);

#pragma warning disable CA1031

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int IsPlatformTypeSupported(void* self, byte* type)
    {
        try
        {
            return PlugView.IsPlatformTypeSupported(PlugView.ReadType(type)) ? Vst3Result.True : Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.False;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Attached(void* self, nint parent, byte* type)
    {
        try
        {
            return Self(self)?.Attached(parent, PlugView.ReadType(type)) ?? Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Removed(void* self)
    {
        try
        {
            return Self(self)?.Removed() ?? Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int OnWheel(void* self, float distance)
    {
        try
        {
            return Self(self)?.OnWheel(distance) ?? Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.False;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int OnKeyDown(void* self, char key, short keyCode, short modifiers)
    {
        try
        {
            return Self(self)?.OnKeyDown(key, keyCode, modifiers) ?? Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.False;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int OnKeyUp(void* self, char key, short keyCode, short modifiers)
    {
        try
        {
            return Self(self)?.OnKeyUp() ?? Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.False;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetSize(void* self, ViewRect* rect)
    {
        try
        {
            if (rect == null || Self(self) is not { } view)
                return Vst3Result.InvalidArgument;
            view.GetSize(rect);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int OnSize(void* self, ViewRect* rect)
    {
        try
        {
            return rect == null || Self(self) is not { } view ? Vst3Result.InvalidArgument : view.OnSize(rect);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int OnFocus(void* self, byte focused)
    {
        try
        {
            return Self(self)?.OnFocus(focused != 0) ?? Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetFrame(void* self, void* frame)
    {
        try
        {
            return Self(self)?.SetFrame(frame) ?? Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int CanResize(void* self) => Vst3Result.True;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int CheckSizeConstraint(void* self, ViewRect* rect)
    {
        try
        {
            return rect == null || Self(self) is not { } view ? Vst3Result.InvalidArgument : view.CheckSizeConstraint(rect);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetContentScaleFactor(void* self, float factor)
    {
        try
        {
            return Self(self)?.SetContentScaleFactor(factor) ?? Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void OnFdIsSet(void* self, int fd)
    {
        try
        {
            Self(self)?.OnFdIsSet();
        }
        catch (Exception)
        {
            // Nothing may unwind into the host's run loop.
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void OnTimer(void* self)
    {
        try
        {
            Self(self)?.OnTimer();
        }
        catch (Exception)
        {
            // Nothing may unwind into the host's run loop.
        }
    }

#pragma warning restore CA1031
}
