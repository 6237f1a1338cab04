using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// An <c>IParameterChanges</c> for one process block: a queue per changed parameter, each with (sample offset, value)
/// points. Queues are kept and reused across <see cref="Clear"/>, so a steady loop of blocks allocates nothing.
/// </summary>
public sealed unsafe class ParameterChanges : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private readonly List<ParamValueQueue> _queues = [];
    private int _count;

    /// <summary>Creates an empty change list.</summary>
    public ParameterChanges()
        : base(s_vtable)
    {
    }

    /// <summary>Number of parameters with a queue in this block.</summary>
    public int Count => _count;

    /// <summary>The queue of the <paramref name="index"/>th changed parameter.</summary>
    /// <param name="index">0 … <see cref="Count"/> − 1.</param>
    /// <returns>The queue.</returns>
    public ParamValueQueue this[int index] => (uint)index < (uint)_count ? _queues[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Adds a point for <paramref name="id"/>, opening its queue if needed.</summary>
    /// <param name="id">Parameter ID.</param>
    /// <param name="sampleOffset">Position in the block.</param>
    /// <param name="normalized">Normalized value.</param>
    public void Add(uint id, int sampleOffset, double normalized) => Open(id).Add(sampleOffset, normalized);

    /// <summary>Empties the list for the next block (queues are kept for reuse).</summary>
    public void Clear()
    {
        for (int i = 0; i < _count; i++)
        {
            _queues[i].Reset(0);
        }

        _count = 0;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var queue in _queues)
            {
                queue.Dispose();
            }

            _queues.Clear();
            _count = 0;
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IParameterChanges.Tuid;

    private ParamValueQueue Open(uint id)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_queues[i].ParameterId == id)
            {
                return _queues[i];
            }
        }

        if (_count == _queues.Count)
        {
            _queues.Add(new ParamValueQueue());
        }

        var queue = _queues[_count++];
        queue.Reset(id);
        return queue;
    }

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(ParameterChangesSlots.Count);
        vtable[ParameterChangesSlots.GetParameterCount] = (delegate* unmanaged[MemberFunction]<void*, int>)&GetParameterCount;
        vtable[ParameterChangesSlots.GetParameterData] = (delegate* unmanaged[MemberFunction]<void*, int, void*>)&GetParameterData;
        vtable[ParameterChangesSlots.AddParameterData] = (delegate* unmanaged[MemberFunction]<void*, uint*, int*, void*>)&AddParameterData;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetParameterCount(void* self) => Self<ParameterChanges>(self)._count;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void* GetParameterData(void* self, int index)
    {
        var changes = Self<ParameterChanges>(self);
        return (uint)index < (uint)changes._count ? (void*)changes._queues[index].NativePointer : null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static void* AddParameterData(void* self, uint* id, int* index)
    {
        if (id == null)
        {
            return null;
        }

        var changes = Self<ParameterChanges>(self);
        var queue = changes.Open(*id);
        if (index != null)
        {
            *index = changes._queues.IndexOf(queue);
        }

        return (void*)queue.NativePointer;
    }
}

/// <summary>An <c>IParamValueQueue</c>: the points of one parameter in one block (capacity grows, never shrinks).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after the VST3 IParamValueQueue interface it implements.")]
public sealed unsafe class ParamValueQueue : HostComObject
{
    private static readonly void** s_vtable = BuildVtable();
    private readonly List<(int Offset, double Value)> _points = new(16);

    /// <summary>Creates an empty queue.</summary>
    public ParamValueQueue()
        : base(s_vtable)
    {
    }

    /// <summary>The parameter the points belong to.</summary>
    public uint ParameterId { get; private set; }

    /// <summary>Number of points.</summary>
    public int Count => _points.Count;

    /// <summary>The point at <paramref name="index"/>.</summary>
    /// <param name="index">0 … <see cref="Count"/> − 1.</param>
    /// <returns>Sample offset and normalized value.</returns>
    public (int Offset, double Value) this[int index] => _points[index];

    /// <summary>Appends a point.</summary>
    /// <param name="sampleOffset">Position in the block.</param>
    /// <param name="normalized">Normalized value.</param>
    public void Add(int sampleOffset, double normalized) => _points.Add((sampleOffset, normalized));

    internal void Reset(uint id)
    {
        ParameterId = id;
        _points.Clear();
    }

    /// <inheritdoc/>
    protected override bool SupportsInterface(in Tuid iid) => iid == Iids.IParamValueQueue.Tuid;

    private static void** BuildVtable()
    {
        void** vtable = CreateVtable(ParamValueQueueSlots.Count);
        vtable[ParamValueQueueSlots.GetParameterId] = (delegate* unmanaged[MemberFunction]<void*, uint>)&GetParameterId;
        vtable[ParamValueQueueSlots.GetPointCount] = (delegate* unmanaged[MemberFunction]<void*, int>)&GetPointCount;
        vtable[ParamValueQueueSlots.GetPoint] = (delegate* unmanaged[MemberFunction]<void*, int, int*, double*, int>)&GetPoint;
        vtable[ParamValueQueueSlots.AddPoint] = (delegate* unmanaged[MemberFunction]<void*, int, double, int*, int>)&AddPoint;
        return vtable;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static uint GetParameterId(void* self) => Self<ParamValueQueue>(self).ParameterId;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetPointCount(void* self) => Self<ParamValueQueue>(self)._points.Count;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int GetPoint(void* self, int index, int* sampleOffset, double* value)
    {
        var queue = Self<ParamValueQueue>(self);
        if ((uint)index >= (uint)queue._points.Count || sampleOffset == null || value == null)
        {
            return Vst3Result.InvalidArgument;
        }

        (*sampleOffset, *value) = queue._points[index];
        return Vst3Result.Ok;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvMemberFunction)])]
    private static int AddPoint(void* self, int sampleOffset, double value, int* index)
    {
        var queue = Self<ParamValueQueue>(self);
        queue._points.Add((sampleOffset, value));
        if (index != null)
        {
            *index = queue._points.Count - 1;
        }

        return Vst3Result.Ok;
    }
}
