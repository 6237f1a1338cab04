using System.Globalization;
using System.Text.Json;
using AceStep.Plugin.Editor;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// Dragging a take out of the editor onto another program's window, over XDND on a private Xvfb server: the editor is
/// opened by the C# host on its run loop, the pointer is moved and pressed through XTest as a mouse would, and the
/// drop target (<see cref="XdndDropTarget"/>, a separate X client) receives the take's file as a URI it can import.
/// </summary>
public sealed class TakeDragTests : IDisposable
{
    private const int Frames = 36_000; // 0.75 s at 48 kHz
    private readonly XServer _x = new();
    private readonly PluginHarness _plugin = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "acestep-drag-" + Guid.NewGuid().ToString("N")[..10]);

    public TakeDragTests()
    {
        Directory.CreateDirectory(_folder);
        _plugin.ConfigureLink("acestep-none-" + Guid.NewGuid().ToString("N")[..10], _folder);
    }

    public void Dispose()
    {
        _plugin.Dispose();
        _x.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>An instance whose project lists one take, its WAV in a folder whose name needs URI escaping.</summary>
    private (PluginInstance Instance, TimelineDriver Driver, string File) InstanceWithTake()
    {
        string folder = Path.Combine(_folder, "Mes prises é 中");
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, "AceStep 0002.1.1 take 1.wav");
        var samples = new float[Frames * 2];
        for (int i = 0; i < Frames; i++)
            samples[2 * i] = samples[(2 * i) + 1] = MathF.Sin(i * 0.05f) * 0.5f;
        TestWav.Write(file, samples, TimelineDriver.Rate, 2);
        var state = StateBytes.Build(StateBytes.Defaults(), "dragged", "", extension: new(Guid.NewGuid(),
            Takes: [new("t1", file, TimelineDriver.Rate, TimelineDriver.Rate, 2, Frames, 7)], Active: "t1"));
        var instance = _plugin.CreateInstance();
        using (var stream = new MemoryBStream(state))
            Assert.Equal(Vst3Result.Ok, instance.Component.SetState(stream));
        var driver = new TimelineDriver(instance);
        driver.Play(0, TimelineDriver.Rate);
        PluginHarness.WaitFor(() => _plugin.LoadedTakes(instance) == 1, "the take to load");
        return (instance, driver, file);
    }

    /// <summary>An instance with a take on disk, playing, and its editor open beside a drop target.</summary>
    private DragScene OpenScene()
    {
        var (instance, driver, file) = InstanceWithTake();
        var (editor, target) = Open(instance);
        return new DragScene(instance, driver, file, editor, target);
    }

    private sealed record DragScene(PluginInstance Instance, TimelineDriver Driver, string File, OpenEditor Editor, XdndDropTarget Target)
        : IDisposable
    {
        public void Dispose()
        {
            Target.Dispose();
            Editor.Dispose();
            Driver.Dispose();
            Instance.Dispose();
        }
    }

    private static bool ShowsTake(PluginHarness plugin, PluginInstance instance) =>
        JsonDocument.Parse(plugin.SessionView(instance)).RootElement.GetProperty("takes").GetArrayLength() == 1;

    private static string Prompt(PluginHarness plugin, PluginInstance instance) =>
        JsonDocument.Parse(plugin.SessionView(instance)).RootElement.GetProperty("settings").GetProperty("prompt").GetString()!;

    /// <summary>Opens the editor with the take shown, and a drop target to the right of it.</summary>
    private (OpenEditor Editor, XdndDropTarget Target) Open(PluginInstance instance)
    {
        var editor = new OpenEditor(_x, instance);
        Assert.True(editor.Frame.Loop.RunUntil(() => ShowsTake(_plugin, instance), TimeSpan.FromSeconds(10)), "the session view lists no take");
        // The editor takes the worker's view on its timer (up to 4 views a second).
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(600));
        var target = new XdndDropTarget(1200, 100, 400, 300);
        return (editor, target);
    }

    // The run loop turns (the editor reads X there) and the target answers between steps, all on this thread.
    private static void Step(OpenEditor editor, XdndDropTarget target, int milliseconds = 30) =>
        editor.Frame.Loop.RunUntil(() =>
        {
            target.Pump();
            return false;
        }, TimeSpan.FromMilliseconds(milliseconds));

    private static void Glide(OpenEditor editor, XdndDropTarget target, (int X, int Y) from, (int X, int Y) to, int steps = 16)
    {
        for (int i = 1; i <= steps; i++)
        {
            target.MovePointer(from.X + ((to.X - from.X) * i / steps), from.Y + ((to.Y - from.Y) * i / steps));
            Step(editor, target);
        }
    }

    /// <summary>Presses on the take's waveform (row 0 of the take list at the default size): root coordinates.</summary>
    private static (int X, int Y) PressOnTake(OpenEditor editor, XdndDropTarget target)
    {
        var row = new EditorLayout(EditorLayout.DefaultWidth, EditorLayout.DefaultHeight).TakeRow(0);
        var origin = target.RootPosition(editor.Window);
        var start = (origin.X + (int)row.Left + 50, origin.Y + (int)row.MidY);
        target.MovePointer(start.Item1, start.Item2);
        Step(editor, target, 100);
        target.Button(press: true);
        Step(editor, target, 100);
        return start;
    }

    private static (int X, int Y) Middle(XdndDropTarget target) =>
        (target.Bounds.X + (target.Bounds.Width / 2), target.Bounds.Y + (target.Bounds.Height / 2));

    private void TypeIntoPrompt(OpenEditor editor, PluginInstance instance, string text)
    {
        var layout = new EditorLayout(EditorLayout.DefaultWidth, EditorLayout.DefaultHeight);
        Assert.Equal(0, _x.XDoTool("mousemove", "--window", editor.Window.ToString(CultureInfo.InvariantCulture),
            ((int)layout.Prompt.MidX).ToString(CultureInfo.InvariantCulture), ((int)layout.Prompt.MidY).ToString(CultureInfo.InvariantCulture), "click", "1"));
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(150));
        Assert.Equal(0, _x.XDoTool("key", "End"));
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, _x.XDoTool("type", "--delay", "20", text));
        Assert.True(editor.Frame.Loop.RunUntil(() => Prompt(_plugin, instance).EndsWith(text, StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
            "After the drag the editor did not take typing; the prompt reads: " + Prompt(_plugin, instance));
    }

    [Fact]
    public void A_take_dropped_on_an_XDND_target_arrives_as_one_URI_of_its_complete_WAV_file()
    {
        using var scene = OpenScene();
        var (instance, editor, target, file) = (scene.Instance, scene.Editor, scene.Target, scene.File);

        var start = PressOnTake(editor, target);
        Glide(editor, target, start, Middle(target));
        Assert.True(target.Positions > 0, "the target heard no XdndPosition while the pointer was over it");
        target.Button(press: false);
        Assert.True(editor.Frame.Loop.RunUntil(() =>
        {
            target.Pump();
            return target.FinishedSent > 0;
        }, TimeSpan.FromSeconds(10)), $"no drop completed: enters {target.Enters}, positions {target.Positions}, drops {target.Drops}");
        Step(editor, target, 300);

        Assert.Equal(1, target.Enters);
        Assert.Equal(5, target.Version);
        Assert.Equal(["text/uri-list", "text/plain"], target.OfferedTypes);
        Assert.Equal(1, target.Drops);
        string uri = Assert.Single(target.Uris);
        Assert.EndsWith("\r\n", Assert.Single(target.RawLists), StringComparison.Ordinal);
        // The folder's space, é and 中 travel percent-encoded; decoded, the URI is the take's own file.
        Assert.StartsWith("file:///", uri, StringComparison.Ordinal);
        Assert.Contains("%C3%A9%20%E4%B8%AD", uri, StringComparison.Ordinal);
        string path = Uri.UnescapeDataString(new Uri(uri).AbsolutePath);
        Assert.Equal(file, path);
        var wav = TestWav.Read(path);
        Assert.Equal((TimelineDriver.Rate, 2), (wav.Rate, wav.Channels));
        Assert.Equal(Frames, wav.Samples.Length / 2);

        // The editor goes on as before: it takes the keyboard and typing reaches the instance.
        TypeIntoPrompt(editor, instance, " after drop");
        Assert.Single(target.Uris);
        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
    }

    [Fact]
    public void A_drag_released_where_no_window_takes_drops_drops_nothing_and_leaves_the_editor_usable()
    {
        using var scene = OpenScene();
        var (instance, editor, target) = (scene.Instance, scene.Editor, scene.Target);

        var start = PressOnTake(editor, target);
        // Across the target (it hears Enter and positions) and on to bare screen below it, where the button is released.
        Glide(editor, target, start, Middle(target));
        var outside = (target.Bounds.X + 100, target.Bounds.Y + target.Bounds.Height + 400);
        Glide(editor, target, Middle(target), outside);
        target.Button(press: false);
        Step(editor, target, 1000);

        Assert.Equal(1, target.Enters);
        Assert.Equal(1, target.Leaves);
        Assert.Equal(0, target.Drops);
        Assert.Empty(target.Uris);
        TypeIntoPrompt(editor, instance, " still here");
        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
    }

    [Fact]
    public void Escape_during_the_drag_cancels_it_and_the_release_over_the_target_drops_nothing()
    {
        using var scene = OpenScene();
        var (instance, editor, target) = (scene.Instance, scene.Editor, scene.Target);

        var start = PressOnTake(editor, target);
        Glide(editor, target, start, Middle(target));
        Assert.Equal(1, target.Enters);
        target.PressEscape();
        Step(editor, target, 300);
        Assert.Equal(1, target.Leaves);
        // Still over the target with the button held: moving and releasing no longer drags.
        Glide(editor, target, Middle(target), (Middle(target).X + 40, Middle(target).Y + 20), steps: 4);
        target.Button(press: false);
        Step(editor, target, 1000);

        Assert.Equal(1, target.Enters);
        Assert.Equal(0, target.Drops);
        Assert.Empty(target.Uris);
        TypeIntoPrompt(editor, instance, " after escape");
        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
    }
}
