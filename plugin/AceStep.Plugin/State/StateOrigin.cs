using AceStep.Plugin.Interop;
using AceStep.Vst3;

namespace AceStep.Plugin.State;

/// <summary>What a state handed to <c>setState</c> is, as far as the host says.</summary>
internal enum StateOrigin
{
    /// <summary>The host does not say (most hosts, Ardour 7.3 among them): told apart by <see cref="ProcessorDirectory"/>.</summary>
    Unknown = 0,

    /// <summary>The instance's own project state (a project being loaded or an undo).</summary>
    Project = 1,

    /// <summary>A preset (the VST3 "Default" state type): settings to adopt, never an identity or takes.</summary>
    Preset = 2,
}

/// <summary>Reads the VST3 state type (<c>IStreamAttributes</c>, attribute "StateType") of a host stream.</summary>
internal static unsafe class StateOrigins
{
    /// <summary>The attribute <c>Vst::PresetAttributes::kStateType</c>.</summary>
    private static ReadOnlySpan<byte> StateTypeKey => "StateType"u8;

    /// <summary>The origin of <paramref name="stream"/>; <see cref="StateOrigin.Unknown"/> when the host attaches no attributes.</summary>
    public static StateOrigin Of(void* stream)
    {
        if (stream == null)
        {
            return StateOrigin.Unknown;
        }

        void* attributesOwner = HostUnknown.Query(stream, Iids.IStreamAttributes);
        if (attributesOwner == null)
        {
            return StateOrigin.Unknown;
        }

        try
        {
            void* list = ((delegate* unmanaged[MemberFunction]<void*, void*>)(*(void***)attributesOwner)[StreamAttributesSlots.GetAttributes])(attributesOwner);
            if (list == null || !HostMessageCalls.TryGetString(list, StateTypeKey, out string type))
            {
                return StateOrigin.Unknown;
            }

            // kStateType values: "Project" for the project, "Default" for a preset.
            return type switch
            {
                "Project" => StateOrigin.Project,
                "Default" => StateOrigin.Preset,
                _ => StateOrigin.Unknown,
            };
        }
        finally
        {
            HostUnknown.Release(attributesOwner);
        }
    }
}
