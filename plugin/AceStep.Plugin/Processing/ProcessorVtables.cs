using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Plugin.Interop;
using AceStep.Plugin.State;
using AceStep.Vst3;

namespace AceStep.Plugin.Processing;

/// <summary>
/// The native entry points of <see cref="AceStepProcessor"/>: <c>IComponent</c>, <c>IAudioProcessor</c> and
/// <c>IProcessContextRequirements</c>. Each one checks its pointers, forwards to the processor and catches everything:
/// an exception unwinding into C++ ends the host process (CA1031 is suppressed for that reason only).
/// </summary>
internal static unsafe class ProcessorVtables
{
    public static nint Component { get; } = (nint)CreateComponent();

    public static nint AudioProcessor { get; } = (nint)CreateAudioProcessor();

    public static nint ContextRequirements { get; } = (nint)CreateContextRequirements();

    private static void** CreateComponent()
    {
        void** v = ComObjectVtables.Create(ComponentSlots.Count);
        v[PluginBaseSlots.Initialize] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&Initialize;
        v[PluginBaseSlots.Terminate] = (delegate* unmanaged[MemberFunction]<void*, int>)&Terminate;
        v[ComponentSlots.GetControllerClassId] = (delegate* unmanaged[MemberFunction]<void*, Tuid*, int>)&GetControllerClassId;
        v[ComponentSlots.SetIoMode] = (delegate* unmanaged[MemberFunction]<void*, int, int>)&SetIoMode;
        v[ComponentSlots.GetBusCount] = (delegate* unmanaged[MemberFunction]<void*, MediaType, BusDirection, int>)&GetBusCount;
        v[ComponentSlots.GetBusInfo] = (delegate* unmanaged[MemberFunction]<void*, MediaType, BusDirection, int, BusInfo*, int>)&GetBusInfo;
        v[ComponentSlots.GetRoutingInfo] = (delegate* unmanaged[MemberFunction]<void*, RoutingInfo*, RoutingInfo*, int>)&GetRoutingInfo;
        v[ComponentSlots.ActivateBus] = (delegate* unmanaged[MemberFunction]<void*, MediaType, BusDirection, int, byte, int>)&ActivateBus;
        v[ComponentSlots.SetActive] = (delegate* unmanaged[MemberFunction]<void*, byte, int>)&SetActive;
        v[ComponentSlots.SetState] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetState;
        v[ComponentSlots.GetState] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&GetState;
        return v;
    }

    private static void** CreateAudioProcessor()
    {
        void** v = ComObjectVtables.Create(AudioProcessorSlots.Count);
        v[AudioProcessorSlots.SetBusArrangements] = (delegate* unmanaged[MemberFunction]<void*, ulong*, int, ulong*, int, int>)&SetBusArrangements;
        v[AudioProcessorSlots.GetBusArrangement] = (delegate* unmanaged[MemberFunction]<void*, BusDirection, int, ulong*, int>)&GetBusArrangement;
        v[AudioProcessorSlots.CanProcessSampleSize] = (delegate* unmanaged[MemberFunction]<void*, int, int>)&CanProcessSampleSize;
        v[AudioProcessorSlots.GetLatencySamples] = (delegate* unmanaged[MemberFunction]<void*, uint>)&GetLatencySamples;
        v[AudioProcessorSlots.SetupProcessing] = (delegate* unmanaged[MemberFunction]<void*, ProcessSetup*, int>)&SetupProcessing;
        v[AudioProcessorSlots.SetProcessing] = (delegate* unmanaged[MemberFunction]<void*, byte, int>)&SetProcessing;
        v[AudioProcessorSlots.Process] = (delegate* unmanaged[MemberFunction]<void*, ProcessData*, int>)&Process;
        v[AudioProcessorSlots.GetTailSamples] = (delegate* unmanaged[MemberFunction]<void*, uint>)&GetTailSamples;
        return v;
    }

    private static void** CreateContextRequirements()
    {
        void** v = ComObjectVtables.Create(ProcessContextRequirementsSlots.Count);
        v[ProcessContextRequirementsSlots.GetProcessContextRequirements] = (delegate* unmanaged[MemberFunction]<void*, uint>)&GetProcessContextRequirements;
        return v;
    }

    private static AceStepProcessor? Self(void* self) => NativeSlots.Resolve<AceStepProcessor>(self);

    private static int Result(bool ok) => ok ? Vst3Result.Ok : Vst3Result.False;

#pragma warning disable CA1031

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Initialize(void* self, void* context)
    {
        try
        {
            return Self(self) is { } p ? Result(p.Initialize(context)) : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Terminate(void* self)
    {
        try
        {
            return Self(self) is { } p ? Result(p.Terminate()) : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetControllerClassId(void* self, Tuid* classId)
    {
        try
        {
            if (classId == null)
            {
                return Vst3Result.InvalidArgument;
            }

            PluginIdentity.ControllerCid.Tuid.Write(classId);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetIoMode(void* self, int mode) => Vst3Result.NotImplemented;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetBusCount(void* self, MediaType type, BusDirection direction)
    {
        try
        {
            return AceStepProcessor.GetBusCount(type, direction);
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetBusInfo(void* self, MediaType type, BusDirection direction, int index, BusInfo* info)
    {
        try
        {
            if (info == null || Self(self) is not { } p)
            {
                return Vst3Result.InvalidArgument;
            }

            return p.TryGetBusInfo(type, direction, index, info) ? Vst3Result.Ok : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetRoutingInfo(void* self, RoutingInfo* input, RoutingInfo* output) =>
        // Nothing to describe: the sidechain is recorded, never routed to an output (the SDK's base class answers the same).
        Vst3Result.NotImplemented;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int ActivateBus(void* self, MediaType type, BusDirection direction, int index, byte state)
    {
        try
        {
            return Self(self) is { } p && p.ActivateBus(type, direction, index, state != 0) ? Vst3Result.Ok : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetActive(void* self, byte state)
    {
        try
        {
            if (Self(self) is not { } p)
            {
                return Vst3Result.InvalidArgument;
            }

            p.SetActive(state != 0);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetState(void* self, void* stream)
    {
        try
        {
            return StateStream.SetState(Self(self), stream);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetState(void* self, void* stream)
    {
        try
        {
            // getState runs on the host's main thread: a chance to make REAPER inserts the timer has not made yet.
            Self(self)?.Reaper?.RunPendingInserts();
            return StateStream.GetState(Self(self), stream);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetBusArrangements(void* self, ulong* inputs, int inputCount, ulong* outputs, int outputCount)
    {
        try
        {
            return Self(self) is { } p ? Result(p.SetBusArrangements(inputs, inputCount, outputs, outputCount)) : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetBusArrangement(void* self, BusDirection direction, int index, ulong* arrangement)
    {
        try
        {
            if (arrangement == null || Self(self) is not { } p)
            {
                return Vst3Result.InvalidArgument;
            }

            if (!p.TryGetBusArrangement(direction, index, out ulong value))
            {
                return Vst3Result.InvalidArgument;
            }

            *arrangement = value;
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int CanProcessSampleSize(void* self, int size) =>
        AceStepProcessor.CanProcessSampleSize(size) ? Vst3Result.True : Vst3Result.False;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint GetLatencySamples(void* self) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetupProcessing(void* self, ProcessSetup* setup)
    {
        try
        {
            if (setup == null || Self(self) is not { } p)
            {
                return Vst3Result.InvalidArgument;
            }

            return Result(p.SetupProcessing(setup));
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetProcessing(void* self, byte state) => Vst3Result.Ok;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Process(void* self, ProcessData* data)
    {
        try
        {
            if (data == null || Self(self) is not { } p)
            {
                return Vst3Result.InvalidArgument;
            }

            return p.Process(data);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint GetTailSamples(void* self) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint GetProcessContextRequirements(void* self) => (uint)AceStepProcessor.ContextRequirements;

#pragma warning restore CA1031
}
