namespace AceStep.Vst3.Hosting;

/// <summary>
/// One owned reference to a module's <c>IPluginFactory</c>, plus the <c>IPluginFactory2</c>/<c>3</c> references obtained
/// by queryInterface if the factory offers them. Disposing releases all of them.
/// </summary>
public sealed unsafe class PluginFactoryRef : IDisposable
{
    private nint _factory;
    private nint _factory2;
    private nint _factory3;

    /// <summary>Takes ownership of a factory reference (for example the result of <c>GetPluginFactory</c>).</summary>
    /// <param name="factory">An <c>IPluginFactory*</c> with one reference that this object now owns.</param>
    public PluginFactoryRef(nint factory)
    {
        ArgumentOutOfRangeException.ThrowIfZero(factory);
        _factory = factory;
        _factory2 = Query(factory, Iids.IPluginFactory2);
        _factory3 = Query(factory, Iids.IPluginFactory3);
    }

    /// <summary>The <c>IPluginFactory*</c> (still owned by this object).</summary>
    public nint NativeFactory => Live(_factory);

    /// <summary>Whether the factory answered queryInterface for <c>IPluginFactory2</c>.</summary>
    public bool HasFactory2 => _factory2 != 0;

    /// <summary>Whether the factory answered queryInterface for <c>IPluginFactory3</c>.</summary>
    public bool HasFactory3 => _factory3 != 0;

    /// <summary>Calls <c>getFactoryInfo</c>.</summary>
    /// <returns>The factory info.</returns>
    public FactoryInfo GetFactoryInfo()
    {
        PFactoryInfo info = default;
        Check(((delegate* unmanaged[MemberFunction]<nint, PFactoryInfo*, int>)Vst3Unknown.Slot(NativeFactory, PluginFactorySlots.GetFactoryInfo))(
            NativeFactory, &info), "getFactoryInfo");
        return new FactoryInfo(info.Vendor.ToString(), info.Url.ToString(), info.Email.ToString(), info.Flags);
    }

    /// <summary>Calls <c>countClasses</c>.</summary>
    /// <returns>The number of classes.</returns>
    public int CountClasses() =>
        ((delegate* unmanaged[MemberFunction]<nint, int>)Vst3Unknown.Slot(NativeFactory, PluginFactorySlots.CountClasses))(NativeFactory);

    /// <summary>Calls <c>getClassInfo</c> and returns the raw result, for probing bad indices.</summary>
    /// <param name="index">Class index.</param>
    /// <param name="info">The struct the module filled.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int TryGetClassInfo(int index, out PClassInfo info)
    {
        PClassInfo result = default;
        int status = ((delegate* unmanaged[MemberFunction]<nint, int, PClassInfo*, int>)Vst3Unknown.Slot(NativeFactory, PluginFactorySlots.GetClassInfo))(
            NativeFactory, index, &result);
        info = result;
        return status;
    }

    /// <summary>Calls <c>getClassInfo</c>.</summary>
    /// <param name="index">Class index.</param>
    /// <returns>The class info.</returns>
    public ClassInfo GetClassInfo(int index)
    {
        Check(TryGetClassInfo(index, out var info), $"getClassInfo({index})");
        return new ClassInfo(info.Cid, info.Cardinality, info.Category.ToString(), info.Name.ToString());
    }

    /// <summary>Calls <c>IPluginFactory2::getClassInfo2</c>.</summary>
    /// <param name="index">Class index.</param>
    /// <returns>The class info.</returns>
    /// <exception cref="NotSupportedException">The factory has no <c>IPluginFactory2</c>.</exception>
    public ClassInfo2 GetClassInfo2(int index)
    {
        nint factory2 = _factory2 != 0 ? _factory2 : throw new NotSupportedException("The factory does not implement IPluginFactory2.");
        PClassInfo2 info = default;
        Check(((delegate* unmanaged[MemberFunction]<nint, int, PClassInfo2*, int>)Vst3Unknown.Slot(factory2, PluginFactorySlots.GetClassInfo2))(
            factory2, index, &info), $"getClassInfo2({index})");
        return new ClassInfo2(
            info.Cid,
            info.Cardinality,
            info.Category.ToString(),
            info.Name.ToString(),
            info.ClassFlags,
            info.SubCategories.ToString(),
            info.Vendor.ToString(),
            info.Version.ToString(),
            info.SdkVersion.ToString());
    }

    /// <summary>Calls <c>IPluginFactory3::getClassInfoUnicode</c>.</summary>
    /// <param name="index">Class index.</param>
    /// <returns>The class info, decoded from UTF-16.</returns>
    /// <exception cref="NotSupportedException">The factory has no <c>IPluginFactory3</c>.</exception>
    public ClassInfo2 GetClassInfoUnicode(int index)
    {
        nint factory3 = _factory3 != 0 ? _factory3 : throw new NotSupportedException("The factory does not implement IPluginFactory3.");
        PClassInfoW info = default;
        Check(((delegate* unmanaged[MemberFunction]<nint, int, PClassInfoW*, int>)Vst3Unknown.Slot(factory3, PluginFactorySlots.GetClassInfoUnicode))(
            factory3, index, &info), $"getClassInfoUnicode({index})");
        return new ClassInfo2(
            info.Cid,
            info.Cardinality,
            info.Category.ToString(),
            info.Name.ToString(),
            info.ClassFlags,
            info.SubCategories.ToString(),
            info.Vendor.ToString(),
            info.Version.ToString(),
            info.SdkVersion.ToString());
    }

    /// <summary>
    /// The richest class info the factory offers, as moduleinfotool reads it: Unicode, else v2, else v1 (with empty
    /// v2 fields).
    /// </summary>
    /// <param name="index">Class index.</param>
    /// <returns>The class info.</returns>
    public ClassInfo2 GetBestClassInfo(int index)
    {
        if (HasFactory3)
        {
            return GetClassInfoUnicode(index);
        }

        if (HasFactory2)
        {
            return GetClassInfo2(index);
        }

        var v1 = GetClassInfo(index);
        return new ClassInfo2(v1.Cid, v1.Cardinality, v1.Category, v1.Name, ComponentFlags.None, "", "", "", "");
    }

    /// <summary>Calls <c>createInstance</c>; a non-zero <paramref name="instance"/> is owned by the caller.</summary>
    /// <param name="cid">Class ID.</param>
    /// <param name="iid">Requested interface.</param>
    /// <param name="instance">The new object, or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int CreateInstance(Tuid cid, Tuid iid, out nint instance)
    {
        void* obj = null;
        int status = ((delegate* unmanaged[MemberFunction]<nint, Tuid*, Tuid*, void**, int>)Vst3Unknown.Slot(NativeFactory, PluginFactorySlots.CreateInstance))(
            NativeFactory, &cid, &iid, &obj);
        instance = (nint)obj;
        return status;
    }

    /// <summary>Calls <c>IPluginFactory3::setHostContext</c>.</summary>
    /// <param name="context">An <c>FUnknown*</c> (the factory takes its own reference), or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    /// <exception cref="NotSupportedException">The factory has no <c>IPluginFactory3</c>.</exception>
    public int SetHostContext(nint context)
    {
        nint factory3 = _factory3 != 0 ? _factory3 : throw new NotSupportedException("The factory does not implement IPluginFactory3.");
        return ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Vst3Unknown.Slot(factory3, PluginFactorySlots.SetHostContext))(
            factory3, context);
    }

    /// <summary>Releases every reference this object holds.</summary>
    public void Dispose()
    {
        ReleaseOnce(ref _factory3);
        ReleaseOnce(ref _factory2);
        ReleaseOnce(ref _factory);
    }

    private static nint Query(nint factory, Vst3Uid iid) =>
        Vst3Unknown.QueryInterface(factory, iid.Tuid, out nint result) == Vst3Result.Ok ? result : 0;

    private static void ReleaseOnce(ref nint pointer)
    {
        nint taken = Interlocked.Exchange(ref pointer, 0);
        if (taken != 0)
        {
            Vst3Unknown.Release(taken);
        }
    }

    private static nint Live(nint pointer)
    {
        ObjectDisposedException.ThrowIf(pointer == 0, typeof(PluginFactoryRef));
        return pointer;
    }

    private static void Check(int result, string call)
    {
        if (result != Vst3Result.Ok)
        {
            throw new Vst3ModuleException($"The factory's {call} failed with {Vst3Result.Codes.Describe(result)}.") { Result = result };
        }
    }
}
