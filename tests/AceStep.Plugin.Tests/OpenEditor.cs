using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// The plugin's editor opened as a DAW opens it: createView("editor"), setFrame with a frame whose IRunLoop the test
/// runs, attached to a mapped top-level window of the test's Xvfb server; the editor's X window is its one child.
/// </summary>
internal sealed class OpenEditor : IDisposable
{
    private const string X11 = "X11EmbedWindowID";

    public OpenEditor(XServer x, PluginInstance instance)
    {
        View = new PlugViewRef(instance.Controller.CreateView());
        Frame = new HostPlugFrame { View = View };
        Assert.Equal(Vst3Result.Ok, View.SetFrame(Frame.NativePointer));
        Assert.Equal(Vst3Result.Ok, View.GetSize(out var size));
        Parent = x.CreateParent(size.Right - size.Left, size.Bottom - size.Top);
        Assert.Equal(Vst3Result.Ok, View.Attached((nint)Parent, X11));
        var children = x.Children(Parent);
        Window = Assert.Single(children);
    }

    public PlugViewRef View { get; }

    public HostPlugFrame Frame { get; }

    public nuint Parent { get; }

    public nuint Window { get; }

    public void Dispose()
    {
        View.SetFrame(0);
        View.Dispose();
        Frame.Dispose();
    }
}
