using System.Text;

namespace AceStep.Vst3.Hosting;

/// <summary>
/// An owned reference to a plugin's <c>IPlugView</c> (from <c>createView("editor")</c>). Calls return the plugin's
/// answers unchanged. Disposing releases the reference.
/// </summary>
public sealed unsafe class PlugViewRef : IDisposable
{
    private nint _view;

    /// <summary>Takes ownership of one <c>IPlugView*</c> reference.</summary>
    /// <param name="view">The pointer createView returned.</param>
    public PlugViewRef(nint view)
    {
        ArgumentOutOfRangeException.ThrowIfZero(view);
        _view = view;
    }

    /// <summary>The <c>IPlugView*</c>.</summary>
    public nint View => _view != 0 ? _view : throw new ObjectDisposedException(nameof(PlugViewRef));

    /// <summary><c>isPlatformTypeSupported</c>.</summary>
    /// <param name="type">For example <c>X11EmbedWindowID</c>.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int IsPlatformTypeSupported(string type) => WithType(type, t =>
        ((delegate* unmanaged[MemberFunction]<nint, byte*, int>)Slot(PlugViewSlots.IsPlatformTypeSupported))(View, (byte*)t));

    /// <summary><c>attached(parent, type)</c>.</summary>
    /// <param name="parent">The parent window (an X11 window id on Linux).</param>
    /// <param name="type">The platform type.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int Attached(nint parent, string type) => WithType(type, t =>
        ((delegate* unmanaged[MemberFunction]<nint, nint, byte*, int>)Slot(PlugViewSlots.Attached))(View, parent, (byte*)t));

    /// <summary><c>removed()</c>.</summary>
    /// <returns>The <c>tresult</c>.</returns>
    public int Removed() => ((delegate* unmanaged[MemberFunction]<nint, int>)Slot(PlugViewSlots.Removed))(View);

    /// <summary><c>getSize</c>.</summary>
    /// <param name="rect">What the plugin answered.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int GetSize(out ViewRect rect)
    {
        ViewRect result = default;
        int status = ((delegate* unmanaged[MemberFunction]<nint, ViewRect*, int>)Slot(PlugViewSlots.GetSize))(View, &result);
        rect = result;
        return status;
    }

    /// <summary><c>onSize</c>.</summary>
    /// <param name="rect">The new size.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int OnSize(ViewRect rect) => ((delegate* unmanaged[MemberFunction]<nint, ViewRect*, int>)Slot(PlugViewSlots.OnSize))(View, &rect);

    /// <summary><c>canResize</c>.</summary>
    /// <returns>The <c>tresult</c>.</returns>
    public int CanResize() => ((delegate* unmanaged[MemberFunction]<nint, int>)Slot(PlugViewSlots.CanResize))(View);

    /// <summary><c>checkSizeConstraint</c>: the plugin adjusts <paramref name="rect"/> in place.</summary>
    /// <param name="rect">The proposed size, then the accepted one.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int CheckSizeConstraint(ref ViewRect rect)
    {
        fixed (ViewRect* r = &rect)
            return ((delegate* unmanaged[MemberFunction]<nint, ViewRect*, int>)Slot(PlugViewSlots.CheckSizeConstraint))(View, r);
    }

    /// <summary><c>setFrame</c>.</summary>
    /// <param name="frame">An <c>IPlugFrame*</c>, or zero.</param>
    /// <returns>The <c>tresult</c>.</returns>
    public int SetFrame(nint frame) => ((delegate* unmanaged[MemberFunction]<nint, nint, int>)Slot(PlugViewSlots.SetFrame))(View, frame);

    /// <summary><c>onKeyDown</c>.</summary>
    /// <param name="key">The character, or 0.</param>
    /// <param name="keyCode">A VST3 virtual key code, or 0.</param>
    /// <param name="modifiers">Modifier bits.</param>
    /// <returns>The <c>tresult</c> (kResultTrue when the plugin used the key).</returns>
    public int OnKeyDown(char key, short keyCode, short modifiers) =>
        ((delegate* unmanaged[MemberFunction]<nint, char, short, short, int>)Slot(PlugViewSlots.OnKeyDown))(View, key, keyCode, modifiers);

    /// <summary><c>IPlugViewContentScaleSupport::setContentScaleFactor</c>, when the view implements it.</summary>
    /// <param name="factor">The scale.</param>
    /// <returns>The <c>tresult</c>, or kNoInterface.</returns>
    public int SetContentScaleFactor(float factor)
    {
        if (Vst3Unknown.QueryInterface(View, Iids.IPlugViewContentScaleSupport.Tuid, out nint scale) != Vst3Result.Ok || scale == 0)
            return Vst3Result.NoInterface;
        try
        {
            return ((delegate* unmanaged[MemberFunction]<nint, float, int>)Vst3Unknown.Slot(scale, ContentScaleSupportSlots.SetContentScaleFactor))(scale, factor);
        }
        finally
        {
            Vst3Unknown.Release(scale);
        }
    }

    /// <summary>Releases the view.</summary>
    public void Dispose()
    {
        nint view = Interlocked.Exchange(ref _view, 0);
        if (view != 0)
            Vst3Unknown.Release(view);
    }

    private void* Slot(int index) => Vst3Unknown.Slot(View, index);

    private static int WithType(string type, Func<nint, int> call)
    {
        var bytes = Encoding.ASCII.GetBytes(type + "\0");
        fixed (byte* t = bytes)
            return call((nint)t);
    }
}
