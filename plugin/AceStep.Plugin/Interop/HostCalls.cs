using AceStep.Vst3;

namespace AceStep.Plugin.Interop;

/// <summary>Calls on a host's <c>IBStream</c>.</summary>
internal static unsafe class HostStream
{
    /// <summary>Reads up to <paramref name="buffer"/>'s length, looping over short reads.</summary>
    /// <param name="stream">An <c>IBStream*</c>.</param>
    /// <param name="buffer">Destination.</param>
    /// <returns>The bytes read; fewer than asked means the stream ended (or failed).</returns>
    public static int ReadFully(void* stream, Span<byte> buffer)
    {
        var read = (delegate* unmanaged[MemberFunction]<void*, void*, int, int*, int>)(*(void***)stream)[BStreamSlots.Read];
        int total = 0;
        fixed (byte* start = buffer)
        {
            while (total < buffer.Length)
            {
                int got = 0;
                int status = read(stream, start + total, buffer.Length - total, &got);
                if (status != Vst3Result.Ok || got <= 0)
                {
                    break;
                }

                total += Math.Min(got, buffer.Length - total);
            }
        }

        return total;
    }

    /// <summary>Writes all of <paramref name="data"/>, looping over short writes.</summary>
    /// <param name="stream">An <c>IBStream*</c>.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>Whether every byte was written.</returns>
    public static bool WriteFully(void* stream, ReadOnlySpan<byte> data)
    {
        var write = (delegate* unmanaged[MemberFunction]<void*, void*, int, int*, int>)(*(void***)stream)[BStreamSlots.Write];
        int total = 0;
        fixed (byte* start = data)
        {
            while (total < data.Length)
            {
                int written = 0;
                int status = write(stream, start + total, data.Length - total, &written);
                if (status != Vst3Result.Ok || written <= 0)
                {
                    return false;
                }

                total += written;
            }
        }

        return true;
    }
}

/// <summary>Calls on a host's <c>IParameterChanges</c> and <c>IParamValueQueue</c>; none of them allocates.</summary>
internal static unsafe class HostParameterChanges
{
    /// <summary>Number of parameters that changed in the block.</summary>
    public static int Count(void* changes) =>
        ((delegate* unmanaged[MemberFunction]<void*, int>)(*(void***)changes)[ParameterChangesSlots.GetParameterCount])(changes);

    /// <summary>The queue of the <paramref name="index"/>th changed parameter, or null.</summary>
    public static void* Queue(void* changes, int index) =>
        ((delegate* unmanaged[MemberFunction]<void*, int, void*>)(*(void***)changes)[ParameterChangesSlots.GetParameterData])(changes, index);

    /// <summary>The parameter a queue belongs to.</summary>
    public static uint ParameterId(void* queue) =>
        ((delegate* unmanaged[MemberFunction]<void*, uint>)(*(void***)queue)[ParamValueQueueSlots.GetParameterId])(queue);

    /// <summary>The last point of a queue (the value the parameter ends the block with); false for an empty queue.</summary>
    public static bool TryGetLast(void* queue, out double value)
    {
        value = 0;
        var vtable = *(void***)queue;
        int points = ((delegate* unmanaged[MemberFunction]<void*, int>)vtable[ParamValueQueueSlots.GetPointCount])(queue);
        if (points <= 0)
        {
            return false;
        }

        int offset;
        double result;
        int status = ((delegate* unmanaged[MemberFunction]<void*, int, int*, double*, int>)vtable[ParamValueQueueSlots.GetPoint])(
            queue, points - 1, &offset, &result);
        value = result;
        return status == Vst3Result.Ok;
    }
}

/// <summary>Calls on a host's <c>IHostApplication</c>.</summary>
internal static unsafe class HostApplicationCalls
{
    /// <summary>The host's name (<c>getName</c>), or null when it does not say.</summary>
    public static string? GetName(void* application)
    {
        String128 name = default;
        int status = ((delegate* unmanaged[MemberFunction]<void*, char*, int>)(*(void***)application)[HostApplicationSlots.GetName])(
            application, (char*)&name);
        return status == Vst3Result.Ok ? name.ToString() : null;
    }
}
