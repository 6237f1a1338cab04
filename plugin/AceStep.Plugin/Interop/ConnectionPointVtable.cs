using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Vst3;

namespace AceStep.Plugin.Interop;

/// <summary>An object that answers <c>IConnectionPoint</c>.</summary>
internal interface IConnectionPointOwner
{
    /// <summary>Its connection.</summary>
    PeerConnection Connection { get; }

    /// <summary>Handles a message from the peer; the <c>tresult</c> for <c>notify</c> (kResultFalse: not understood).</summary>
    /// <param name="message">The <c>IMessage*</c>, valid for the call only (never null).</param>
    /// <returns>The <c>tresult</c>.</returns>
    unsafe int Notify(void* message);
}

/// <summary>The <c>IConnectionPoint</c> vtable shared by the processor and the controller.</summary>
internal static unsafe class ConnectionPointVtable
{
    /// <summary>The vtable (built once; FUnknown entries go through <see cref="ComObject"/>).</summary>
    public static nint Vtable { get; } = (nint)Create();

    private static void** Create()
    {
        void** vtable = ComObjectVtables.Create(ConnectionPointSlots.Count);
        vtable[ConnectionPointSlots.Connect] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&Connect;
        vtable[ConnectionPointSlots.Disconnect] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&Disconnect;
        vtable[ConnectionPointSlots.Notify] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&Notify;
        return vtable;
    }

#pragma warning disable CA1031 // Nothing may unwind into the host.

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Connect(void* self, void* other)
    {
        try
        {
            if (other == null || NativeSlots.Resolve<IConnectionPointOwner>(self) is not { } owner)
            {
                return Vst3Result.InvalidArgument;
            }

            return owner.Connection.Connect(other) ? Vst3Result.Ok : Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Disconnect(void* self, void* other)
    {
        try
        {
            if (other == null || NativeSlots.Resolve<IConnectionPointOwner>(self) is not { } owner)
            {
                return Vst3Result.InvalidArgument;
            }

            return owner.Connection.Disconnect(other) ? Vst3Result.Ok : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Notify(void* self, void* message)
    {
        try
        {
            if (message == null || NativeSlots.Resolve<IConnectionPointOwner>(self) is not { } owner)
            {
                return Vst3Result.InvalidArgument;
            }

            return owner.Notify(message);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

#pragma warning restore CA1031
}
