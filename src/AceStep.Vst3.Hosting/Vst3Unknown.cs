namespace AceStep.Vst3.Hosting;

/// <summary>The three FUnknown calls on any VST3 interface pointer.</summary>
public static unsafe class Vst3Unknown
{
    /// <summary>Calls <c>queryInterface</c>.</summary>
    /// <param name="unknown">Any interface pointer.</param>
    /// <param name="iid">The requested interface, in the current platform's byte order.</param>
    /// <param name="result">The new reference (owned by the caller) or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public static int QueryInterface(nint unknown, Tuid iid, out nint result)
    {
        ArgumentOutOfRangeException.ThrowIfZero(unknown);
        void* obj = null;
        int status = ((delegate* unmanaged[MemberFunction]<nint, Tuid*, void**, int>)Slot(unknown, FUnknownSlots.QueryInterface))(
            unknown, &iid, &obj);
        result = (nint)obj;
        return status;
    }

    /// <summary>Calls <c>addRef</c>.</summary>
    /// <param name="unknown">Any interface pointer.</param>
    /// <returns>The new count as the object reports it.</returns>
    public static uint AddRef(nint unknown)
    {
        ArgumentOutOfRangeException.ThrowIfZero(unknown);
        return ((delegate* unmanaged[MemberFunction]<nint, uint>)Slot(unknown, FUnknownSlots.AddRef))(unknown);
    }

    /// <summary>Calls <c>release</c>.</summary>
    /// <param name="unknown">Any interface pointer.</param>
    /// <returns>The remaining count as the object reports it.</returns>
    public static uint Release(nint unknown)
    {
        ArgumentOutOfRangeException.ThrowIfZero(unknown);
        return ((delegate* unmanaged[MemberFunction]<nint, uint>)Slot(unknown, FUnknownSlots.Release))(unknown);
    }

    /// <summary>The function pointer in vtable slot <paramref name="index"/> of <paramref name="unknown"/>.</summary>
    /// <param name="unknown">Any interface pointer.</param>
    /// <param name="index">Absolute slot index.</param>
    /// <returns>The function pointer.</returns>
    public static void* Slot(nint unknown, int index) => (*(void***)unknown)[index];
}
