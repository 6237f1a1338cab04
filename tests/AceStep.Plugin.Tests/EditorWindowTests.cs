using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AceStep.Plugin.Editor;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.Tests;

/// <summary>
/// The plugin's editor opened by the C# test host like a DAW opens it: createView("editor"), setFrame with a frame
/// whose IRunLoop the test runs, attached to a real X window on a private Xvfb server. Keys and clicks come from
/// xdotool (real X input through XTest); what was typed is read back from the instance's session view, the state the
/// control page shows.
/// </summary>
public sealed class EditorWindowTests : IDisposable
{
    private const string X11 = "X11EmbedWindowID";
    private readonly XServer _x = new();
    private readonly PluginHarness _plugin = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "acestep-editor-" + Guid.NewGuid().ToString("N")[..10]);

    public EditorWindowTests()
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

    private static string Prompt(PluginHarness plugin, PluginInstance instance) =>
        JsonDocument.Parse(plugin.SessionView(instance)).RootElement.GetProperty("settings").GetProperty("prompt").GetString()!;

    // Runs xdotool while the host's run loop keeps turning, as it would in a DAW (xdotool maps characters that are not
    // on the keyboard to a spare key and back, so the events must be read while that mapping holds).
    private static void XDoTool(XServer x, RunLoop loop, params string[] arguments)
    {
        var start = new ProcessStartInfo("xdotool") { RedirectStandardError = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment["DISPLAY"] = x.Name;
        using var process = Process.Start(start)!;
        loop.RunUntil(() => process.HasExited, TimeSpan.FromSeconds(20));
        Assert.True(process.HasExited && process.ExitCode == 0, "xdotool failed: " + process.StandardError.ReadToEnd());
        loop.Run(TimeSpan.FromMilliseconds(100));
    }

    private static string Point(float value) => ((int)value).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void The_editor_is_a_child_of_the_hosts_window_driven_by_its_run_loop_and_takes_typed_text_in_any_script()
    {
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance);
        driver.Play(0, TimelineDriver.Rate);
        using var editor = new OpenEditor(_x, instance);
        Assert.Equal(Vst3Result.True, editor.View.IsPlatformTypeSupported(X11));
        Assert.NotEqual(Vst3Result.True, editor.View.IsPlatformTypeSupported("HWND"));
        // One fd handler (the X connection) and one timer: no thread of the plugin's own reads X.
        Assert.Equal(1, editor.Frame.Loop.EventHandlers);
        Assert.Equal(1, editor.Frame.Loop.Timers);
        Assert.Equal((960, 640), _x.Size(editor.Window));
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(300));

        // What the X server shows is the editor: the Generate button in the page's accent colour, the dark panel around it.
        var layout = new EditorLayout(960, 640);
        using (var shown = _x.Capture(editor.Window))
        {
            Assert.Equal(SkiaSharp.SKColor.Parse("#5eead4"), shown.GetPixel((int)layout.Generate.Left + 6, (int)layout.Generate.MidY + 8));
            Assert.Equal(SkiaSharp.SKColor.Parse("#171b21"), shown.GetPixel((int)layout.Generate.Left - 6, (int)layout.Generate.MidY));
        }

        // Click into the prompt, select what is there, type over it: accents, CJK and Latin (each a key of its own; the
        // editor follows the keymap change through MappingNotify).
        _x.BindKeys("é中文");
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(200));
        XDoTool(_x, editor.Frame.Loop, "mousemove", "--window", editor.Window.ToString(CultureInfo.InvariantCulture),
            Point(layout.Prompt.MidX), Point(layout.Prompt.MidY), "click", "1");
        XDoTool(_x, editor.Frame.Loop, "key", "ctrl+a");
        XDoTool(_x, editor.Frame.Loop, "type", "--delay", "30", "Café 中文 bass");
        XDoTool(_x, editor.Frame.Loop, "key", "BackSpace", "BackSpace", "BackSpace", "BackSpace", "Left", "Left");
        XDoTool(_x, editor.Frame.Loop, "type", "--delay", "30", "é");
        Assert.True(editor.Frame.Loop.RunUntil(() => Prompt(_plugin, instance) == "Café 中é文 ", TimeSpan.FromSeconds(10)),
            "The prompt reads: " + Prompt(_plugin, instance));

        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
        Assert.Equal(0, editor.Frame.Loop.EventHandlers);
        Assert.Equal(0, editor.Frame.Loop.Timers);
        Assert.Empty(_x.Children(editor.Parent));
    }

    [Fact]
    public void The_part_chosen_in_the_editor_is_the_hosts_Track_parameter_and_the_pages_part()
    {
        const uint mode = 1, track = 13;
        using var instance = _plugin.CreateInstance();
        using var driver = new TimelineDriver(instance);
        // The host puts the instance in Add a Part (plain 3 of 0–5): the editor shows the part where the cover scale was.
        driver.SetParameter(0, mode, 3 / 5.0);
        driver.Play(0, TimelineDriver.Rate);
        using var editor = new OpenEditor(_x, instance);
        Assert.True(editor.Frame.Loop.RunUntil(() => Setting(_plugin, instance, "mode") == "lego", TimeSpan.FromSeconds(10)));
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(600));

        // A click on the part opens its list (and gives it the keyboard); Escape closes the list and leaves the part
        // focused, so Down picks the next stem: drums → backing_vocals. (Were the list closed by the focus change the
        // click makes, Escape would take the focus away and Down would do nothing.)
        var slot = new EditorLayout(960, 640).Of(ControlId.Track);
        XDoTool(_x, editor.Frame.Loop, "mousemove", "--window", editor.Window.ToString(CultureInfo.InvariantCulture),
            Point(slot.MidX), Point(slot.MidY), "click", "1");
        XDoTool(_x, editor.Frame.Loop, "key", "Escape", "Down");
        int backingVocals = AceStep.Contracts.Tasks.StemTracks.All.ToList().IndexOf("backing_vocals");
        Assert.True(editor.Frame.Loop.RunUntil(() => Math.Abs(instance.Controller.GetParamNormalized(track) - (backingVocals / 11.0)) < 1e-9,
            TimeSpan.FromSeconds(10)), "Track reads " + instance.Controller.GetParamNormalized(track));
        Assert.Equal("backing_vocals", Setting(_plugin, instance, "trackName"));

        // The host's automation moves Track to Vocals: the session view the editor and the page read follows.
        driver.SetParameter(TimelineDriver.Rate, track, 1.0);
        driver.Play(TimelineDriver.Rate, 2 * TimelineDriver.Rate);
        Assert.True(editor.Frame.Loop.RunUntil(() => Setting(_plugin, instance, "trackName") == "vocals", TimeSpan.FromSeconds(10)));
        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
    }

    private static string Setting(PluginHarness plugin, PluginInstance instance, string name) =>
        JsonDocument.Parse(plugin.SessionView(instance)).RootElement.GetProperty("settings").GetProperty(name).GetString()!;

    [Fact]
    public void The_editor_resizes_within_its_minimum_and_follows_the_hosts_content_scale()
    {
        using var instance = _plugin.CreateInstance();
        using var editor = new OpenEditor(_x, instance);
        Assert.Equal(Vst3Result.True, editor.View.CanResize());

        var tooSmall = new ViewRect { Right = 200, Bottom = 100 };
        Assert.Equal(Vst3Result.Ok, editor.View.CheckSizeConstraint(ref tooSmall));
        Assert.Equal((760, 540), (tooSmall.Right, tooSmall.Bottom));

        Assert.Equal(Vst3Result.Ok, editor.View.OnSize(new ViewRect { Right = 1100, Bottom = 700 }));
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(100));
        Assert.Equal((1100, 700), _x.Size(editor.Window));

        // A 2x screen: the same layout in twice the pixels, asked of the host through IPlugFrame::resizeView.
        Assert.Equal(Vst3Result.Ok, editor.View.SetContentScaleFactor(2));
        Assert.Equal((2200, 1400), (editor.Frame.Resizes[^1].Right, editor.Frame.Resizes[^1].Bottom));
        Assert.Equal(Vst3Result.Ok, editor.View.GetSize(out var size));
        Assert.Equal((2200, 1400), (size.Right, size.Bottom));
        Assert.Equal((2200, 1400), _x.Size(editor.Window));
        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
    }

    [Fact]
    public void Several_editors_are_open_at_once_and_a_host_that_destroys_its_window_first_does_not_take_the_process_down()
    {
        using var first = _plugin.CreateInstance();
        using var second = _plugin.CreateInstance();
        using var firstDriver = new TimelineDriver(first);
        using var secondDriver = new TimelineDriver(second);
        firstDriver.Play(0, TimelineDriver.Rate);
        secondDriver.Play(0, TimelineDriver.Rate);
        using var a = new OpenEditor(_x, first);
        using var b = new OpenEditor(_x, second);
        a.Frame.Loop.Run(TimeSpan.FromMilliseconds(200));
        b.Frame.Loop.Run(TimeSpan.FromMilliseconds(200));
        string before = Prompt(_plugin, second);

        var layout = new EditorLayout(960, 640);
        XDoTool(_x, a.Frame.Loop, "mousemove", "--window", a.Window.ToString(CultureInfo.InvariantCulture),
            Point(layout.Prompt.MidX), Point(layout.Prompt.MidY), "click", "1");
        XDoTool(_x, a.Frame.Loop, "type", "--delay", "20", "x");
        Assert.True(a.Frame.Loop.RunUntil(() => Prompt(_plugin, first).EndsWith('x'), TimeSpan.FromSeconds(10)));
        b.Frame.Loop.Run(TimeSpan.FromMilliseconds(200));
        Assert.Equal(before, Prompt(_plugin, second));

        // The DAW closes its window before telling the plugin (Xlib's default handler would exit on the BadWindow).
        _x.Destroy(a.Parent);
        a.Frame.Loop.Run(TimeSpan.FromMilliseconds(200));
        Assert.Equal(Vst3Result.Ok, a.View.Removed());
        Assert.Equal(0, a.Frame.Loop.Timers);
        b.Frame.Loop.Run(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Vst3Result.Ok, b.View.Removed());
        Assert.Empty(_x.Children(b.Parent));
    }

    [Fact]
    public void An_editor_reaches_its_processor_when_the_host_does_not_connect_the_two_directly()
    {
        // Ardour connects processor and controller through proxies of its own; the controller then finds its processor
        // by the instance id of the component state it was given. Here the two are left unconnected after that sync.
        using var instance = _plugin.CreateInstance();
        instance.Disconnect();
        using var driver = new TimelineDriver(instance);
        driver.Play(0, TimelineDriver.Rate);
        using var editor = new OpenEditor(_x, instance);
        editor.Frame.Loop.Run(TimeSpan.FromMilliseconds(300));
        var layout = new EditorLayout(960, 640);
        XDoTool(_x, editor.Frame.Loop, "mousemove", "--window", editor.Window.ToString(CultureInfo.InvariantCulture),
            Point(layout.Prompt.MidX), Point(layout.Prompt.MidY), "click", "1");
        XDoTool(_x, editor.Frame.Loop, "type", "--delay", "20", "via proxy");
        Assert.True(editor.Frame.Loop.RunUntil(() => Prompt(_plugin, instance).EndsWith("via proxy", StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
            "The prompt reads: " + Prompt(_plugin, instance));
        Assert.Equal(Vst3Result.Ok, editor.View.Removed());
    }
}
