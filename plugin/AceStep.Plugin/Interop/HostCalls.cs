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

    /// <summary>
    /// Reports a change of the plug-in's own making to the host (<c>addParameterData</c> then <c>addPoint</c> on the
    /// block's output changes), so the host's control and its saved value follow. Allocation-free on our side.
    /// </summary>
    /// <returns>False when the host gave no queue.</returns>
    public static bool TryReport(void* changes, uint id, int sampleOffset, double value)
    {
        int index = 0;
        var queue = ((delegate* unmanaged[MemberFunction]<void*, uint*, int*, void*>)(*(void***)changes)[ParameterChangesSlots.AddParameterData])(
            changes, &id, &index);
        if (queue == null)
        {
            return false;
        }

        int point = 0;
        return ((delegate* unmanaged[MemberFunction]<void*, int, double, int*, int>)(*(void***)queue)[ParamValueQueueSlots.AddPoint])(
            queue, sampleOffset, value, &point) == Vst3Result.Ok;
    }

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

/// <summary>Calls on a host's <c>IMessage</c> and its <c>IAttributeList</c> (what arrives through <c>notify</c>).</summary>
internal static unsafe class HostMessageCalls
{
    /// <summary>Whether the message's ID is exactly <paramref name="id"/> (ASCII, no terminator).</summary>
    public static bool HasId(void* message, ReadOnlySpan<byte> id)
    {
        var text = ((delegate* unmanaged[MemberFunction]<void*, byte*>)(*(void***)message)[MessageSlots.GetMessageId])(message);
        if (text == null)
        {
            return false;
        }

        var actual = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);
        return actual.SequenceEqual(id);
    }

    /// <summary>The message's attribute list (owned by the message: no reference is added), or null.</summary>
    public static void* Attributes(void* message) =>
        ((delegate* unmanaged[MemberFunction]<void*, void*>)(*(void***)message)[MessageSlots.GetAttributes])(message);

    /// <summary><c>getInt</c>; false when the attribute is missing.</summary>
    public static bool TryGetInt(void* attributes, ReadOnlySpan<byte> id, out long value)
    {
        long result = 0;
        int status;
        fixed (byte* name = Terminated(id, stackalloc byte[64]))
        {
            status = ((delegate* unmanaged[MemberFunction]<void*, byte*, long*, int>)(*(void***)attributes)[AttributeListSlots.GetInt])(attributes, name, &result);
        }

        value = result;
        return status == Vst3Result.Ok;
    }

    /// <summary><c>getFloat</c>; false when the attribute is missing.</summary>
    public static bool TryGetFloat(void* attributes, ReadOnlySpan<byte> id, out double value)
    {
        double result = 0;
        int status;
        fixed (byte* name = Terminated(id, stackalloc byte[64]))
        {
            status = ((delegate* unmanaged[MemberFunction]<void*, byte*, double*, int>)(*(void***)attributes)[AttributeListSlots.GetFloat])(attributes, name, &result);
        }

        value = result;
        return status == Vst3Result.Ok;
    }

    /// <summary><c>getString</c> (UTF-16, up to 127 characters); false when the attribute is missing.</summary>
    public static bool TryGetString(void* attributes, ReadOnlySpan<byte> id, out string value)
    {
        String128 text = default;
        int status;
        fixed (byte* name = Terminated(id, stackalloc byte[64]))
        {
            status = ((delegate* unmanaged[MemberFunction]<void*, byte*, char*, uint, int>)(*(void***)attributes)[AttributeListSlots.GetString])(
                attributes, name, (char*)&text, (uint)(String128.Length * sizeof(char)));
        }

        value = status == Vst3Result.Ok ? text.ToString() : "";
        return status == Vst3Result.Ok;
    }

    /// <summary><c>getBinary</c>: the bytes, valid until <c>notify</c> returns; false when the attribute is missing.</summary>
    public static bool TryGetBinary(void* attributes, ReadOnlySpan<byte> id, out ReadOnlySpan<byte> value)
    {
        void* data = null;
        uint size = 0;
        int status;
        fixed (byte* name = Terminated(id, stackalloc byte[64]))
        {
            status = ((delegate* unmanaged[MemberFunction]<void*, byte*, void**, uint*, int>)(*(void***)attributes)[AttributeListSlots.GetBinary])(attributes, name, &data, &size);
        }

        value = status == Vst3Result.Ok && (data != null || size == 0) && size <= int.MaxValue ? new ReadOnlySpan<byte>(data, (int)size) : default;
        return status == Vst3Result.Ok && (data != null || size == 0);
    }

    private static Span<byte> Terminated(ReadOnlySpan<byte> id, Span<byte> buffer)
    {
        id.CopyTo(buffer);
        buffer[id.Length] = 0;
        return buffer[..(id.Length + 1)];
    }
}

/// <summary>Calls on a host's <c>IComponentHandler</c> (main thread only).</summary>
internal static unsafe class HostComponentHandler
{
    /// <summary>One complete edit gesture: beginEdit, performEdit, endEdit.</summary>
    public static void Edit(void* handler, uint id, double normalized)
    {
        var vtable = *(void***)handler;
        ((delegate* unmanaged[MemberFunction]<void*, uint, int>)vtable[ComponentHandlerSlots.BeginEdit])(handler, id);
        ((delegate* unmanaged[MemberFunction]<void*, uint, double, int>)vtable[ComponentHandlerSlots.PerformEdit])(handler, id, normalized);
        ((delegate* unmanaged[MemberFunction]<void*, uint, int>)vtable[ComponentHandlerSlots.EndEdit])(handler, id);
    }
}
