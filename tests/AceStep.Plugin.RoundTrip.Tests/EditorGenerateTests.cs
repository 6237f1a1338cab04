using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AceStep.Engine.Host;
using AceStep.Plugin.Editor;
using AceStep.Plugin.Tests;
using AceStep.Vst3;
using AceStep.Vst3.Hosting;

namespace AceStep.Plugin.RoundTrip.Tests;

/// <summary>
/// A take made from the plugin's own window: the C# host opens the editor on a private Xvfb server, the producer
/// (xdotool) types a prompt and clicks Generate, an engine answering with diagnostic tones makes the take, and the
/// take shows up in the instance's session (what the editor and the page show) with its WAV file written.
/// </summary>
public sealed class EditorGenerateTests : IAsyncLifetime
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "acestep-editor-engine-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _takes = Path.Combine(Path.GetTempPath(), "acestep-editor-takes-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _pipe = "acestep-editor-" + Guid.NewGuid().ToString("N")[..10];
    private EngineHost? _engine;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_takes);
        _engine = await EngineHost.StartAsync(new EngineOptions
        {
            DataDirectory = _home,
            HttpUrl = "http://127.0.0.1:0",
            PipeName = _pipe,
            DiagnosticTone = TimeSpan.FromMilliseconds(5),
        }, logging: _ => { });
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in new[] { _home, _takes })
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void Typing_a_prompt_and_clicking_Generate_in_the_editor_makes_a_take_with_its_file()
    {
        using var x = new XServer();
        using var plugin = new PluginHarness();
        plugin.ConfigureLink(_pipe, _takes);
        using var instance = plugin.CreateInstance();
        using var driver = new TimelineDriver(instance) { Cycle = (4, 8) };
        driver.Play(0, 3 * TimelineDriver.SamplesPerBar); // the range (bar 2) is captured: a repaint can run

        using var view = new PlugViewRef(instance.Controller.CreateView());
        using var frame = new HostPlugFrame { View = view };
        Assert.Equal(Vst3Result.Ok, view.SetFrame(frame.NativePointer));
        nuint parent = x.CreateParent(960, 640);
        Assert.Equal(Vst3Result.Ok, view.Attached((nint)parent, "X11EmbedWindowID"));
        nuint window = Assert.Single(x.Children(parent));
        frame.Loop.Run(TimeSpan.FromMilliseconds(300));

        var layout = new EditorLayout(960, 640);
        string id = window.ToString(CultureInfo.InvariantCulture);
        XDoTool(x, frame.Loop, "mousemove", "--window", id, Point(layout.Prompt.MidX), Point(layout.Prompt.MidY), "click", "1");
        XDoTool(x, frame.Loop, "type", "--delay", "20", "tone from the editor");
        XDoTool(x, frame.Loop, "mousemove", "--window", id, Point(layout.Generate.MidX), Point(layout.Generate.MidY), "click", "1");

        JsonElement View() => JsonDocument.Parse(plugin.SessionView(instance)).RootElement;
        bool done = frame.Loop.RunUntil(() => View().GetProperty("takes").GetArrayLength() == 1, TimeSpan.FromSeconds(90));
        var last = View();
        Assert.True(done, "No take; the job: " + last.GetProperty("job").GetRawText());
        var take = last.GetProperty("takes")[0];
        Assert.Equal("tone from the editor", take.GetProperty("settings").GetProperty("prompt").GetString());
        Assert.True(File.Exists(take.GetProperty("file").GetString()), "The take's WAV file is missing.");
        Assert.Equal(2.0, take.GetProperty("start").GetDouble(), 6);

        // The editor shows it: keep the loop turning once more so the window redraws (for a screenshot on failure).
        frame.Loop.Run(TimeSpan.FromMilliseconds(400));
        if (Environment.GetEnvironmentVariable("ACESTEP_EDITOR_SCREENSHOT") is { Length: > 0 } screenshot)
            x.Screenshot(parent, screenshot);
        Assert.Equal(Vst3Result.Ok, view.Removed());
        Assert.Equal(0, frame.Loop.Timers);
        view.SetFrame(0);
    }

    private static string Point(float value) => ((int)value).ToString(CultureInfo.InvariantCulture);

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
}
