using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>An <c>IBStream</c> over a <see cref="MemoryStream"/>, as hosts pass to getState/setState.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after the VST3 IBStream interface it implements.")]
public sealed unsafe class MemoryBStream : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();

    /// <summary>Creates an empty stream to write into.</summary>
    public MemoryBStream()
        : this([])
    {
    }

    /// <summary>Creates a stream holding <paramref name="content"/>, positioned at its start.</summary>
    /// <param name="content">The initial bytes (copied).</param>
    public MemoryBStream(ReadOnlySpan<byte> content)
        : base(s_vtable)
    {
        Stream = new MemoryStream();
        Stream.Write(content);
        Stream.Position = 0;
    }

    /// <summary>The underlying stream (position shared with the plugin's view).</summary>
    public MemoryStream Stream { get; }

    /// <summary>The most bytes one <c>read</c> call returns (0 = no limit); small values test a plugin's read loop.</summary>
    public int MaxReadChunk { get; set; }

    /// <summary>Every byte written so far.</summary>
    /// <returns>A copy of the content.</returns>
    public byte[] ToArray() => Stream.ToArray();

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IBStream.Tuid;

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(BStreamSlots.Count);
        vtable[BStreamSlots.Read] = (delegate* unmanaged[MemberFunction]<void*, byte*, int, int*, int>)&Read;
        vtable[BStreamSlots.Write] = (delegate* unmanaged[MemberFunction]<void*, byte*, int, int*, int>)&Write;
        vtable[BStreamSlots.Seek] = (delegate* unmanaged[MemberFunction]<void*, long, int, long*, int>)&Seek;
        vtable[BStreamSlots.Tell] = (delegate* unmanaged[MemberFunction]<void*, long*, int>)&Tell;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Read(void* self, byte* buffer, int count, int* read)
    {
        var stream = Self<MemoryBStream>(self);
        if (buffer == null || count < 0)
        {
            return Vst3Result.InvalidArgument;
        }

        int limit = stream.MaxReadChunk > 0 ? Math.Min(count, stream.MaxReadChunk) : count;
        int got = stream.Stream.Read(new Span<byte>(buffer, limit));
        if (read != null)
        {
            *read = got;
        }

        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Write(void* self, byte* buffer, int count, int* written)
    {
        if (buffer == null || count < 0)
        {
            return Vst3Result.InvalidArgument;
        }

        Self<MemoryBStream>(self).Stream.Write(new ReadOnlySpan<byte>(buffer, count));
        if (written != null)
        {
            *written = count;
        }

        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Seek(void* self, long position, int mode, long* result)
    {
        var stream = Self<MemoryBStream>(self).Stream;
        long target = (StreamSeekMode)mode switch
        {
            StreamSeekMode.Set => position,
            StreamSeekMode.Current => stream.Position + position,
            StreamSeekMode.End => stream.Length + position,
            _ => -1,
        };
        if (target < 0)
        {
            return Vst3Result.InvalidArgument;
        }

        stream.Position = target;
        if (result != null)
        {
            *result = target;
        }

        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int Tell(void* self, long* position)
    {
        if (position == null)
        {
            return Vst3Result.InvalidArgument;
        }

        *position = Self<MemoryBStream>(self).Stream.Position;
        return Vst3Result.Ok;
    }
}
