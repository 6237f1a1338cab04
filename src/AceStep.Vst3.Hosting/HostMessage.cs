using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// An <c>IMessage</c> as a host allocates it for <c>IConnectionPoint::notify</c>: an ASCII ID and an
/// <see cref="HostAttributeList"/>. <c>getAttributes</c> hands out the list without adding a reference, as the SDK's
/// host message does. Disposing frees the ID and the list.
/// </summary>
public sealed unsafe class HostMessage : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private byte* _id;

    /// <summary>Creates a message.</summary>
    /// <param name="id">The message ID (ASCII).</param>
    public HostMessage(string id)
        : base(s_vtable)
    {
        SetId(id);
    }

    /// <summary>The attributes.</summary>
    public HostAttributeList Attributes { get; } = new();

    /// <summary>The message ID.</summary>
    public string Id => _id == null ? "" : Marshal.PtrToStringAnsi((nint)_id) ?? "";

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IMessage.Tuid;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Attributes.Dispose();
        }

        NativeMemory.Free(_id);
        _id = null;
        base.Dispose(disposing);
    }

    private void SetId(string id)
    {
        NativeMemory.Free(_id);
        byte[] ascii = Encoding.ASCII.GetBytes(id);
        _id = (byte*)NativeMemory.AllocZeroed((nuint)ascii.Length + 1);
        ascii.CopyTo(new Span<byte>(_id, ascii.Length));
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(MessageSlots.Count);
        vtable[MessageSlots.GetMessageId] = (delegate* unmanaged[MemberFunction]<void*, byte*>)&GetMessageId;
        vtable[MessageSlots.SetMessageId] = (delegate* unmanaged[MemberFunction]<void*, byte*, void>)&SetMessageId;
        vtable[MessageSlots.GetAttributes] = (delegate* unmanaged[MemberFunction]<void*, nint>)&GetAttributes;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static byte* GetMessageId(void* self) => Self<HostMessage>(self)._id;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void SetMessageId(void* self, byte* id)
    {
        if (id != null)
        {
            Self<HostMessage>(self).SetId(Marshal.PtrToStringAnsi((nint)id) ?? "");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static nint GetAttributes(void* self) => Self<HostMessage>(self).Attributes.NativePointer;
}

/// <summary>
/// An <c>IAttributeList</c>: integer, float, string and binary values by ASCII ID. Binary values are copied into
/// native memory that stays valid until the value is replaced or the list is disposed, as the SDK's list does.
/// </summary>
public sealed unsafe class HostAttributeList : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private readonly Dictionary<string, long> _ints = [];
    private readonly Dictionary<string, double> _floats = [];
    private readonly Dictionary<string, string> _strings = [];
    private readonly Dictionary<string, (nint Data, int Size)> _binaries = [];

    /// <summary>Creates an empty list.</summary>
    public HostAttributeList()
        : base(s_vtable)
    {
    }

    /// <summary>Sets an integer.</summary>
    /// <param name="id">Attribute ID.</param>
    /// <param name="value">Value.</param>
    public void SetInt(string id, long value) => _ints[id] = value;

    /// <summary>Sets a float.</summary>
    /// <param name="id">Attribute ID.</param>
    /// <param name="value">Value.</param>
    public void SetFloat(string id, double value) => _floats[id] = value;

    /// <summary>Sets a string.</summary>
    /// <param name="id">Attribute ID.</param>
    /// <param name="value">Value.</param>
    public void SetString(string id, string value) => _strings[id] = value;

    /// <summary>Sets a binary value (copied).</summary>
    /// <param name="id">Attribute ID.</param>
    /// <param name="value">Bytes.</param>
    public void SetBinary(string id, ReadOnlySpan<byte> value)
    {
        FreeBinary(id);
        void* copy = NativeMemory.Alloc((nuint)Math.Max(value.Length, 1));
        value.CopyTo(new Span<byte>(copy, value.Length));
        _binaries[id] = ((nint)copy, value.Length);
    }

    /// <summary>Sets a binary value from float samples (their bytes in this machine's order, little-endian on x86/ARM).</summary>
    /// <param name="id">Attribute ID.</param>
    /// <param name="samples">Samples.</param>
    public void SetBinary(string id, ReadOnlySpan<float> samples) => SetBinary(id, MemoryMarshal.AsBytes(samples));

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IAttributeList.Tuid;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (var (data, _) in _binaries.Values)
        {
            NativeMemory.Free((void*)data);
        }

        _binaries.Clear();
        base.Dispose(disposing);
    }

    private void FreeBinary(string id)
    {
        if (_binaries.Remove(id, out var old))
        {
            NativeMemory.Free((void*)old.Data);
        }
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(AttributeListSlots.Count);
        vtable[AttributeListSlots.SetInt] = (delegate* unmanaged[MemberFunction]<void*, byte*, long, int>)&SetIntNative;
        vtable[AttributeListSlots.GetInt] = (delegate* unmanaged[MemberFunction]<void*, byte*, long*, int>)&GetIntNative;
        vtable[AttributeListSlots.SetFloat] = (delegate* unmanaged[MemberFunction]<void*, byte*, double, int>)&SetFloatNative;
        vtable[AttributeListSlots.GetFloat] = (delegate* unmanaged[MemberFunction]<void*, byte*, double*, int>)&GetFloatNative;
        vtable[AttributeListSlots.SetString] = (delegate* unmanaged[MemberFunction]<void*, byte*, char*, int>)&SetStringNative;
        vtable[AttributeListSlots.GetString] = (delegate* unmanaged[MemberFunction]<void*, byte*, char*, uint, int>)&GetStringNative;
        vtable[AttributeListSlots.SetBinary] = (delegate* unmanaged[MemberFunction]<void*, byte*, void*, uint, int>)&SetBinaryNative;
        vtable[AttributeListSlots.GetBinary] = (delegate* unmanaged[MemberFunction]<void*, byte*, void**, uint*, int>)&GetBinaryNative;
        return vtable;
    }

    private static string? Name(byte* id) => id == null ? null : Marshal.PtrToStringAnsi((nint)id);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetIntNative(void* self, byte* id, long value)
    {
        if (Name(id) is not { } name)
        {
            return Vst3Result.InvalidArgument;
        }

        Self<HostAttributeList>(self).SetInt(name, value);
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetIntNative(void* self, byte* id, long* value)
    {
        if (value == null || Name(id) is not { } name || !Self<HostAttributeList>(self)._ints.TryGetValue(name, out long found))
        {
            return Vst3Result.False;
        }

        *value = found;
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetFloatNative(void* self, byte* id, double value)
    {
        if (Name(id) is not { } name)
        {
            return Vst3Result.InvalidArgument;
        }

        Self<HostAttributeList>(self).SetFloat(name, value);
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetFloatNative(void* self, byte* id, double* value)
    {
        if (value == null || Name(id) is not { } name || !Self<HostAttributeList>(self)._floats.TryGetValue(name, out double found))
        {
            return Vst3Result.False;
        }

        *value = found;
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetStringNative(void* self, byte* id, char* value)
    {
        if (value == null || Name(id) is not { } name)
        {
            return Vst3Result.InvalidArgument;
        }

        Self<HostAttributeList>(self).SetString(name, new string(value));
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetStringNative(void* self, byte* id, char* value, uint sizeInBytes)
    {
        if (value == null || Name(id) is not { } name || !Self<HostAttributeList>(self)._strings.TryGetValue(name, out string? found))
        {
            return Vst3Result.False;
        }

        int capacity = (int)(sizeInBytes / sizeof(char));
        if (capacity == 0)
        {
            return Vst3Result.False;
        }

        int length = Math.Min(found.Length, capacity - 1);
        found.AsSpan(0, length).CopyTo(new Span<char>(value, length));
        value[length] = '\0';
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int SetBinaryNative(void* self, byte* id, void* data, uint size)
    {
        if ((data == null && size > 0) || size > int.MaxValue || Name(id) is not { } name)
        {
            return Vst3Result.InvalidArgument;
        }

        Self<HostAttributeList>(self).SetBinary(name, new ReadOnlySpan<byte>(data, (int)size));
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetBinaryNative(void* self, byte* id, void** data, uint* size)
    {
        if (data == null || size == null || Name(id) is not { } name || !Self<HostAttributeList>(self)._binaries.TryGetValue(name, out var found))
        {
            return Vst3Result.False;
        }

        *data = (void*)found.Data;
        *size = (uint)found.Size;
        return Vst3Result.Ok;
    }
}
