using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Vst3;

namespace AceStep.Plugin.Interop;

/// <summary>An object that answers <c>IConnectionPoint</c>.</summary>
internal interface IConnectionPointOwner
{
    /// <summary>Its connection.</summary>
    PeerConnection Connection { get; }
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
            // No message is defined yet (take ready, progress and text edits come with the engine round trip), so a
            // message is understood by no one: kResultFalse, as the SDK's base class answers unknown messages.
            return message == null ? Vst3Result.InvalidArgument : Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

#pragma warning restore CA1031
}
