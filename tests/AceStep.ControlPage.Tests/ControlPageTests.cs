using System.Text;
using AceStep.Contracts.Sessions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AceStep.ControlPage.Tests;

/// <summary>
/// The control page end to end: the fake plugin publishes what a plugin would, the producer works the page in
/// Chromium, and the plugin receives the commands. Screenshots: idle, running, error, takes.
/// </summary>
public sealed class ControlPageTests : IClassFixture<BrowserEngine>
{
    private const double Tempo = 124;
    private const double Bar = 4 * 60 / Tempo;    // 4/4 at 124 BPM
    private readonly BrowserEngine _fixture;

    public ControlPageTests(BrowserEngine fixture) => _fixture = fixture;

    [Fact]
    public async Task A_producer_prompts_generates_follows_progress_sees_a_failure_and_picks_a_take()
    {
        await using var plugin = await FakePlugin.OpenAsync(_fixture.PipeName, "REAPER", "Drums bus");
        var view = CapturedView();
        await plugin.UpdateAsync(view);
        await using var context = await _fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };

        await page.GotoAsync(plugin.ControlUrl.AbsoluteUri);

        // Idle: connected, the capture drawn with its range and bar lines, the fields prefilled from the DAW context.
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Connected to the plugin");
        await Expect(page.Locator("#bpm")).ToHaveValueAsync("124");
        await Expect(page.Locator("#keyScale")).ToHaveValueAsync("A minor");
        await Expect(page.Locator("#range-info")).ToContainTextAsync("from the host selection");
        Assert.True(await AccentPixelsAsync(page, "#capture-wave") > 2_000, "The capture waveform was not drawn on the canvas.");
        var (shaded, barPixels, width) = await TopRowAsync(page);
        // The 4-bar range is 7.74 s of the 16 s shown (48 %); the bar lines outside it (4 of the 9) stay light grey.
        Assert.InRange(shaded, (int)(width * 0.45), (int)(width * 0.49));
        Assert.InRange(barPixels, 4, 16);
        await Screenshots.SaveAsync(page, "idle");

        // Generate with an edited prompt: the plugin receives it with the prefilled key, following the host tempo.
        await page.GetByLabel("Prompt").FillAsync("dusty boom bap drums, warm rhodes chords");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        var generate = await plugin.WaitForCommandAsync(SessionCommands.Generate, "the generate command");
        Assert.Equal("dusty boom bap drums, warm rhodes chords", (string?)generate["settings"]!["prompt"]);
        Assert.Equal("A minor", (string?)generate["settings"]!["keyScale"]);
        Assert.Null(generate["settings"]!["bpm"]);

        // Running: the bar follows the plugin's job updates; Cancel reaches the plugin.
        await plugin.UpdateAsync(view = view with { Job = new SessionJob { State = "running", Progress = 40, Stage = "diffusion" } });
        await Expect(page.Locator("#progress")).ToHaveAttributeAsync("aria-valuenow", "40");
        await Expect(page.Locator("#stage")).ToHaveTextAsync("Diffusion · 40%");
        await plugin.UpdateAsync(view = view with { Job = view.Job with { Progress = 72.5 } });
        await Expect(page.Locator("#progress")).ToHaveAttributeAsync("aria-valuenow", "73");
        // The bar itself, not only its ARIA value, reaches 72.5 % of the track (after its short CSS transition).
        await page.WaitForFunctionAsync(
            "() => Math.abs(document.getElementById('progress-bar').getBoundingClientRect().width / document.getElementById('progress').clientWidth - 0.725) < 0.01");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Generate" })).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, "running");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await plugin.WaitForCommandAsync(SessionCommands.Cancel, "the cancel command");

        // A failed job shows its message in words.
        const string failure = "The engine ran out of memory while encoding the text; close other programs and try again.";
        await plugin.UpdateAsync(view = view with { Job = new SessionJob { State = "failed", Progress = 72.5, Stage = "text-encoder", Message = failure } });
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The take failed: " + failure);
        await Screenshots.SaveAsync(page, "error");

        // Two takes arrive; the newer one's audio is handed over and auditioned in the page.
        var first = await plugin.PutTakeAsync("take-1", Tone(220, 4 * Bar, 48_000), 48_000, 2);
        var second = await plugin.PutTakeAsync("take-2", Tone(330, 4 * Bar, 48_000), 48_000, 2);
        await plugin.UpdateAsync(view = view with
        {
            Job = new SessionJob { State = "done", Progress = 100, Stage = "done" },
            Takes = [Take("take-1", 1234, active: false), Take("take-2", 98_765, active: false)],
        });
        var newest = page.Locator("li[data-take-id='take-2']");
        await Expect(newest).ToContainTextAsync("seed 98765");
        await Expect(page.Locator("#error")).ToBeHiddenAsync();
        Assert.True(await AccentPixelsAsync(page, "li[data-take-id='take-2'] canvas") > 100, "The take's waveform was not drawn.");
        using (var wav = await _fixture.Http.GetAsync(second.PathAndQuery))
        {
            var bytes = await wav.Content.ReadAsByteArrayAsync();
            Assert.Equal(System.Net.HttpStatusCode.OK, wav.StatusCode);
            Assert.Equal("RIFF", Encoding.ASCII.GetString(bytes, 0, 4));
            Assert.Equal("audio/wav", wav.Content.Headers.ContentType?.MediaType);
        }
        await newest.GetByRole(AriaRole.Button, new() { Name = "Audition take 2" }).ClickAsync();
        await page.WaitForFunctionAsync("() => { const a = document.getElementById('player'); return a.readyState >= 1 && a.duration > 7.5; }");
        Assert.EndsWith("/takes/take-2.wav", await page.EvalOnSelectorAsync<string>("#player", "a => a.currentSrc"), StringComparison.Ordinal);

        // "Use this take" and the A/B switch reach the plugin.
        await newest.GetByRole(AriaRole.Button, new() { Name = "Use take 2" }).ClickAsync();
        var select = await plugin.WaitForCommandAsync(SessionCommands.SelectTake, "the selectTake command");
        Assert.Equal("take-2", (string?)select["takeId"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "B · Original" }).ClickAsync();
        var listen = await plugin.WaitForCommandAsync(SessionCommands.Listen, "the listen command");
        Assert.Equal("original", (string?)listen["listen"]);
        await plugin.UpdateAsync(view = view with
        {
            Takes = [Take("take-1", 1234, active: false), Take("take-2", 98_765, active: true)],
            Listen = "original",
        });
        await Expect(newest.GetByRole(AriaRole.Button, new() { Name = "Take 2 is in use" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "B · Original" })).ToHaveAttributeAsync("aria-pressed", "true");

        // Editing a field saves the settings in the project (debounced) without generating.
        await page.GetByLabel("Lyrics").FillAsync("[verse]\nkeep it steady");
        var settings = await plugin.WaitForCommandAsync(c => (string?)c["command"] == SessionCommands.Settings
                                                             && (string?)c["settings"]!["lyrics"] == "[verse]\nkeep it steady", "the edited lyrics");
        Assert.Equal("dusty boom bap drums, warm rhodes chords", (string?)settings["settings"]!["prompt"]);
        await Expect(page.Locator("#saved-info")).ToHaveTextAsync("Saved in the project");
        await Screenshots.SaveAsync(page, "takes");

        Assert.NotEqual(first, second);
        Assert.True(consoleErrors.Count == 0, "The page logged errors: " + string.Join(" | ", consoleErrors));
    }

    [Fact]
    public async Task A_page_whose_plugin_closed_says_the_instance_is_not_connected()
    {
        var plugin = await FakePlugin.OpenAsync(_fixture.PipeName, "Bitwig Studio", "Pads");
        await plugin.UpdateAsync(CapturedView());
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(plugin.ControlUrl.AbsoluteUri);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Connected to the plugin");

        await plugin.DisposeAsync();   // closes the session

        await Expect(page.Locator("#connection")).ToHaveTextAsync("Plugin instance not connected");
        var reload = await page.GotoAsync(plugin.ControlUrl.AbsoluteUri);
        Assert.Equal(404, reload!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This plugin instance is not connected");
    }

    [Fact]
    public async Task Add_a_part_offers_the_engines_stems_and_sends_the_chosen_one_with_the_mode()
    {
        await using var plugin = await FakePlugin.OpenAsync(_fixture.PipeName, "Ardour", "Empty track");
        await plugin.UpdateAsync(CapturedView() with { Settings = new SessionSettings { Prompt = "tight funk drums", TrackName = "guitar" } });
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(plugin.ControlUrl.AbsoluteUri);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Connected to the plugin");

        // Repaint needs no part: the part select appears with the stem modes only.
        await Expect(page.Locator("#trackName")).ToBeHiddenAsync();
        await page.Locator("#mode").SelectOptionAsync("lego");
        await Expect(page.Locator("#trackName")).ToBeVisibleAsync();
        await Expect(page.Locator("#trackClasses")).ToBeHiddenAsync();
        await Expect(page.Locator("#trackName")).ToHaveValueAsync("guitar");
        var offered = await page.EvalOnSelectorAsync<string[]>("#trackName", "s => [...s.options].map(o => o.value)");
        Assert.Equal(AceStep.Contracts.Tasks.StemTracks.All, offered);

        await page.Locator("#trackName").SelectOptionAsync("bass");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        var generate = await plugin.WaitForCommandAsync(SessionCommands.Generate, "the generate command");
        Assert.Equal("lego", (string?)generate["settings"]!["mode"]);
        Assert.Equal("bass", (string?)generate["settings"]!["trackName"]);

        // Complete offers the classes instead, several at once.
        await page.Locator("#mode").SelectOptionAsync("complete");
        await Expect(page.Locator("#trackName")).ToBeHiddenAsync();
        await page.Locator("#trackClasses").SelectOptionAsync(new[] { "drums", "keyboard" });
        var settings = await plugin.WaitForCommandAsync(c => (string?)c["command"] == SessionCommands.Settings
                                                             && (string?)c["settings"]!["mode"] == "complete"
                                                             && c["settings"]!["trackClasses"]!.AsArray().Count == 2, "the complete settings");
        Assert.Equal(["drums", "keyboard"], settings["settings"]!["trackClasses"]!.AsArray().Select(n => (string)n!).Order());
    }

    [Fact]
    public async Task Extract_generates_without_a_prompt_and_repaint_still_asks_for_one()
    {
        // Input tried: an empty prompt, first in Extract a stem (sent), then in Repaint (refused on the page).
        await using var plugin = await FakePlugin.OpenAsync(_fixture.PipeName, "Ardour", "Empty track");
        await plugin.UpdateAsync(CapturedView() with { Settings = new SessionSettings { Prompt = "", Mode = "extract", TrackName = "drums" } });
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(plugin.ControlUrl.AbsoluteUri);
        await Expect(page.Locator("#connection")).ToHaveTextAsync("Connected to the plugin");
        await Expect(page.Locator("#trackName")).ToHaveValueAsync("drums");

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        var generate = await plugin.WaitForCommandAsync(SessionCommands.Generate, "the generate command");
        Assert.Equal(("extract", "drums", ""), ((string?)generate["settings"]!["mode"], (string?)generate["settings"]!["trackName"], (string?)generate["settings"]!["prompt"]));

        // The take is done and the host switched Mode to Repaint: the same empty prompt is refused on the page.
        await plugin.UpdateAsync(CapturedView() with
        {
            Settings = new SessionSettings { Prompt = "", Mode = "repaint", TrackName = "drums" },
            Job = new SessionJob { State = "done", Progress = 100 },
        });
        await Expect(page.Locator("#mode")).ToHaveValueAsync("repaint");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();
        await Expect(page.GetByText("Write a prompt first")).ToBeVisibleAsync();
    }

    /// <summary>What a plugin publishes after capturing 16 s around a 4-bar selection at 124 BPM in 4/4.</summary>
    private static SessionView CapturedView()
    {
        const int buckets = 800;
        const double duration = 16;
        var peaks = new float[buckets * 2];
        for (var i = 0; i < buckets; i++)
        {
            var t = i * duration / buckets;
            var beat = t % (Bar / 4);
            // A kick on every beat: sharp attack, exponential decay, over a soft pad.
            var level = (float)Math.Min(0.95, 0.06 + 0.55 * Math.Exp(-beat * 14) + 0.1 * Math.Abs(Math.Sin(t * 7.3) * Math.Sin(t * 1.7)));
            peaks[2 * i] = -level;
            peaks[2 * i + 1] = level * 0.92f;
        }
        var barLines = Enumerable.Range(0, (int)(duration / Bar) + 1).Select(b => b * Bar).ToArray();
        return new SessionView
        {
            HostName = "REAPER",
            SampleRate = 48_000,
            Context = new SessionContext
            {
                Tempo = Tempo,
                Numerator = 4,
                Denominator = 4,
                RangeStart = 2 * Bar,
                RangeEnd = 6 * Bar,
                RangeSource = "hostSelection",
                BarLines = barLines,
            },
            Capture = new SessionWaveform { Start = 0, Duration = duration, Peaks = peaks },
            Settings = new SessionSettings { KeyScale = "A minor", Steps = 8 },
        };
    }

    private static SessionTake Take(string id, long seed, bool active)
    {
        var peaks = new float[200];
        for (var i = 0; i < 100; i++)
        {
            var level = (float)(0.1 + 0.5 * Math.Exp(-(i % 12) / 4.0) + 0.15 * Math.Abs(Math.Sin(i * 0.37 + seed % 7)));
            peaks[2 * i] = -level;
            peaks[2 * i + 1] = level;
        }
        return new SessionTake
        {
            Id = id,
            Start = 2 * Bar,
            Duration = 4 * Bar,
            Seed = seed,
            Active = active,
            Settings = new SessionSettings { Prompt = "dusty boom bap drums, warm rhodes chords", KeyScale = "A minor", Steps = 8 },
            Waveform = new SessionWaveform { Start = 2 * Bar, Duration = 4 * Bar, Peaks = peaks },
        };
    }

    private static float[] Tone(double hz, double seconds, int rate)
    {
        var frames = (int)(seconds * rate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = samples[2 * i + 1] = (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / rate));
        }
        return samples;
    }

    /// <summary>Pixels of the canvas painted in the page's accent colour (the waveform columns).</summary>
    private static Task<int> AccentPixelsAsync(IPage page, string selector) =>
        page.EvalOnSelectorAsync<int>(selector, """
            canvas => {
              const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              let n = 0;
              for (let i = 0; i < data.length; i += 4) {
                if (data[i] === 94 && data[i + 1] === 234 && data[i + 2] === 212 && data[i + 3] === 255) n++;
              }
              return n;
            }
            """);

    /// <summary>
    /// The capture canvas's top row, where no waveform reaches: pixels tinted by the range shading (accent colour,
    /// translucent) and by bar lines (light grey, translucent), and the canvas width.
    /// </summary>
    private static async Task<(int Shaded, int Bars, int Width)> TopRowAsync(IPage page)
    {
        var counts = await page.EvalOnSelectorAsync<int[]>("#capture-wave", """
            canvas => {
              const row = canvas.getContext('2d').getImageData(0, 0, canvas.width, 1).data;
              let shaded = 0, bars = 0;
              for (let i = 0; i < row.length; i += 4) {
                const [r, g, b, a] = [row[i], row[i + 1], row[i + 2], row[i + 3]];
                if (a === 0 || a === 255) continue;
                if (r < 160 && g > 200 && b > 180) shaded++;
                else if (r > 200 && g > 200 && b > 200) bars++;
              }
              return [shaded, bars, canvas.width];
            }
            """);
        return (counts[0], counts[1], counts[2]);
    }
}
