using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AceStep.Plugin.Interop;
using AceStep.Plugin.Parameters;
using AceStep.Plugin.State;
using AceStep.Vst3;

namespace AceStep.Plugin.Controller;

/// <summary>
/// The native <c>IEditController</c> entry points of <see cref="AceStepController"/>. Each catches everything: an
/// exception unwinding into C++ ends the host process (CA1031 is suppressed for that reason only). Unknown parameter
/// IDs get the answers of the SDK's EditController base: kResultFalse, or the value passed in for conversions.
/// </summary>
internal static unsafe class ControllerVtable
{
    public static nint EditController { get; } = (nint)Create();

    private static void** Create()
    {
        void** v = ComObjectVtables.Create(EditControllerSlots.Count);
        v[PluginBaseSlots.Initialize] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&Initialize;
        v[PluginBaseSlots.Terminate] = (delegate* unmanaged[MemberFunction]<void*, int>)&Terminate;
        v[EditControllerSlots.SetComponentState] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetState;
        v[EditControllerSlots.SetState] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetState;
        v[EditControllerSlots.GetState] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&GetState;
        v[EditControllerSlots.GetParameterCount] = (delegate* unmanaged[MemberFunction]<void*, int>)&GetParameterCount;
        v[EditControllerSlots.GetParameterInfo] = (delegate* unmanaged[MemberFunction]<void*, int, ParameterInfo*, int>)&GetParameterInfo;
        v[EditControllerSlots.GetParamStringByValue] = (delegate* unmanaged[MemberFunction]<void*, uint, double, char*, int>)&GetParamStringByValue;
        v[EditControllerSlots.GetParamValueByString] = (delegate* unmanaged[MemberFunction]<void*, uint, char*, double*, int>)&GetParamValueByString;
        v[EditControllerSlots.NormalizedParamToPlain] = (delegate* unmanaged[MemberFunction]<void*, uint, double, double>)&NormalizedParamToPlain;
        v[EditControllerSlots.PlainParamToNormalized] = (delegate* unmanaged[MemberFunction]<void*, uint, double, double>)&PlainParamToNormalized;
        v[EditControllerSlots.GetParamNormalized] = (delegate* unmanaged[MemberFunction]<void*, uint, double>)&GetParamNormalized;
        v[EditControllerSlots.SetParamNormalized] = (delegate* unmanaged[MemberFunction]<void*, uint, double, int>)&SetParamNormalized;
        v[EditControllerSlots.SetComponentHandler] = (delegate* unmanaged[MemberFunction]<void*, void*, int>)&SetComponentHandler;
        v[EditControllerSlots.CreateView] = (delegate* unmanaged[MemberFunction]<void*, byte*, void*>)&CreateView;
        return v;
    }

    private static AceStepController? Self(void* self) => NativeSlots.Resolve<AceStepController>(self);

#pragma warning disable CA1031

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Initialize(void* self, void* context)
    {
        try
        {
            return Self(self) is not { } c ? Vst3Result.InvalidArgument : c.Initialize(context) ? Vst3Result.Ok : Vst3Result.False;
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
            return Self(self) is not { } c ? Vst3Result.InvalidArgument : c.Terminate() ? Vst3Result.Ok : Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    /// <summary>setComponentState and setState: both read the component's format (the controller keeps no other state).</summary>
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
            return StateStream.GetState(Self(self), stream);
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetParameterCount(void* self) => PluginParameters.Count;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetParameterInfo(void* self, int index, ParameterInfo* info)
    {
        try
        {
            if (info == null)
            {
                return Vst3Result.InvalidArgument;
            }

            return AceStepController.TryGetParameterInfo(index, info) ? Vst3Result.Ok : Vst3Result.InvalidArgument;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetParamStringByValue(void* self, uint id, double normalized, char* text)
    {
        try
        {
            if (text == null)
            {
                return Vst3Result.InvalidArgument;
            }

            if (PluginParameters.Find(id) is not { } parameter)
            {
                return Vst3Result.False;
            }

            string display = Self(self) is { } controller ? controller.DisplayText(parameter, normalized) : parameter.Format(parameter.ToPlain(normalized));
            FixedString.Write(new Span<char>(text, String128.Length), display);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetParamValueByString(void* self, uint id, char* text, double* normalized)
    {
        try
        {
            if (text == null || normalized == null)
            {
                return Vst3Result.InvalidArgument;
            }

            if (PluginParameters.Find(id) is not { } parameter)
            {
                return Vst3Result.False;
            }

            string input = new(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
            if (!parameter.TryParse(input, out double plain))
            {
                return Vst3Result.False;
            }

            *normalized = parameter.ToNormalized(plain);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static double NormalizedParamToPlain(void* self, uint id, double normalized)
    {
        try
        {
            return PluginParameters.Find(id) is { } parameter ? parameter.ToPlain(normalized) : normalized;
        }
        catch (Exception)
        {
            return normalized;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static double PlainParamToNormalized(void* self, uint id, double plain)
    {
        try
        {
            return PluginParameters.Find(id) is { } parameter ? parameter.ToNormalized(plain) : plain;
        }
        catch (Exception)
        {
            return plain;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static double GetParamNormalized(void* self, uint id)
    {
        try
        {
            return Self(self)?.GetNormalized(id) ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetParamNormalized(void* self, uint id, double value)
    {
        try
        {
            return Self(self) is not { } c ? Vst3Result.InvalidArgument : c.SetNormalized(id, value) ? Vst3Result.Ok : Vst3Result.False;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetComponentHandler(void* self, void* handler)
    {
        try
        {
            if (Self(self) is not { } c)
            {
                return Vst3Result.InvalidArgument;
            }

            c.SetComponentHandler(handler);
            return Vst3Result.Ok;
        }
        catch (Exception)
        {
            return Vst3Result.InternalError;
        }
    }

    /// <summary>
    /// The editor ("editor" is the only view name VST3 defines). Null where the editor cannot run (no drawing library,
    /// a platform without an attachment yet): hosts then show their generic parameter UI.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void* CreateView(void* self, byte* name)
    {
        try
        {
            return Self(self) is { } controller && AceStep.Plugin.Editor.PlugView.ReadType(name) == "editor" && AceStep.Plugin.Editor.EditorResources.Available
                ? new AceStep.Plugin.Editor.PlugView(controller).Slot(AceStep.Plugin.Editor.PlugView.PlugViewSlot)
                : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

#pragma warning restore CA1031
}
