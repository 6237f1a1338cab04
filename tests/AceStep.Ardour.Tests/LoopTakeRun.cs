using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using AceStep.Audio;

namespace AceStep.Ardour.Tests;

/// <summary>
/// The producer's loop workflow in Ardour, end to end, for one <see cref="LoopScenario"/>: record a track, insert
/// AceStep, set the loop over the bars, export (the "before"), loop-play them twice, stop, open the control page and
/// press Generate on it (a repaint by the diagnostic-tone engine), save, and export again in a fresh Ardour process
/// (the "after": a reloaded session). Everything measured comes from Ardour's own offline exports.
/// </summary>
internal sealed class LoopTakeRun
{
    private const string Name = "acestep";
    private static readonly TimeSpan s_pageLimit = TimeSpan.FromSeconds(120);

    private LoopTakeRun(LoopScenario scenario, string folder, ArdourWorkspace ardour)
    {
        Scenario = scenario;
        Folder = folder;
        Ardour = ardour;
    }

    /// <summary>The workspace with this scenario's environment: the engine's pipe and the takes folder.</summary>
    public ArdourWorkspace Ardour { get; }

    public LoopScenario Scenario { get; }

    /// <summary>The scenario's folder (session, takes, exports).</summary>
    public string Folder { get; }

    public string SessionDirectory => Path.Combine(Folder, "session");

    public string SessionPath => Path.Combine(SessionDirectory, Name + ".ardour");

    public string TakesFolder => Path.Combine(Folder, "takes");

    /// <summary>The export before any take.</summary>
    public AudioBuffer Before { get; private set; } = null!;

    /// <summary>The export of the saved session with the take.</summary>
    public AudioBuffer After { get; private set; } = null!;

    /// <summary>The control page's view once the take was made.</summary>
    public JsonNode View { get; private set; } = null!;

    /// <summary>The view just before Generate was pressed (the range the plugin resolved).</summary>
    public JsonNode ViewBeforeGenerate { get; private set; } = null!;

    /// <summary>The loop run (its report has the parameters Ardour saved).</summary>
    public ArdourRunResult Loop { get; private set; } = ArdourRunResult.Empty;

    /// <summary>The instance id the page is addressed by.</summary>
    public string InstanceId { get; private set; } = "";

    /// <summary>What the engine received for the take's task (its request and the captured source audio).</summary>
    public ReceivedTask Received { get; private set; } = null!;

    /// <summary>The take files the plugin wrote, after the loop run.</summary>
    public IReadOnlyList<string> TakeFiles { get; private set; } = [];

    /// <summary>Runs the whole workflow.</summary>
    public static async Task<LoopTakeRun> RunAsync(ArdourWorkspace ardour, DiagnosticEngine engine, HttpClient http, LoopScenario scenario)
    {
        string folder = Path.Combine(ardour.Root, scenario.Name);
        string takes = Path.Combine(folder, "takes");
        Directory.CreateDirectory(takes);
        var run = new LoopTakeRun(scenario, folder, ardour.With(new Dictionary<string, string>
        {
            ["ACESTEP_PIPE"] = engine.PipeName,
            ["ACESTEP_TAKES_DIR"] = takes,
            ["ACESTEP_NO_BROWSER"] = "1",
        }));
        await run.ExecuteAsync(engine, http);
        return run;
    }

    /// <summary>The takes folder's WAV files now.</summary>
    public IReadOnlyList<string> CurrentTakeFiles() => [.. Directory.EnumerateFiles(TakesFolder, "*.wav").Order(StringComparer.Ordinal)];

    /// <summary>The value Ardour saved for a plugin parameter (its "Port" element), by parameter ID.</summary>
    public double SavedPortValue(int parameterId)
    {
        var port = XDocument.Load(SessionPath).Descendants("Processor")
            .Where(p => (string?)p.Attribute("type") == "vst3")
            .SelectMany(p => p.Descendants("Port"))
            .FirstOrDefault(p => (string?)p.Attribute("id") == parameterId.ToString(CultureInfo.InvariantCulture))
            ?? throw new ArdourRunException($"{SessionPath} has no Port {parameterId} for the plugin");
        return double.Parse((string)port.Attribute("value")!, CultureInfo.InvariantCulture);
    }

    /// <summary>The plain value Ardour saved for a plugin control (its "Controllable" element), by the control's name.</summary>
    public double SavedControlValue(string name)
    {
        var control = XDocument.Load(SessionPath).Descendants("Processor")
            .Where(p => (string?)p.Attribute("type") == "vst3")
            .SelectMany(p => p.Elements("Controllable"))
            .FirstOrDefault(c => (string?)c.Attribute("name") == name)
            ?? throw new ArdourRunException($"{SessionPath} has no control {name} for the plugin");
        return double.Parse((string)control.Attribute("value")!, CultureInfo.InvariantCulture);
    }

    /// <summary>Exports the session as it is now into <paramref name="file"/> (a name in the scenario folder).</summary>
    public async Task<AudioBuffer> ExportAsync(string file) =>
        ReadWav(await Ardour.ExportAsync(SessionDirectory, Name, Path.Combine(Folder, file)));

    private async Task ExecuteAsync(DiagnosticEngine engine, HttpClient http)
    {
        var ardour = Ardour;
        var s = Scenario;
        await ardour.RunLuaAsync("record",
            [SessionDirectory, Name, Invariant(s.Rate), Invariant(s.Bpm), Invariant(s.Numerator), Invariant(s.Denominator), Invariant(s.RecordSeconds), .. (s.Sidechain ? new[] { "sidechain" } : [])],
            traceName: s.Name + "-record");
        SessionFile.AddLoopRange(SessionPath, s.LoopStart, s.LoopEnd, s.Rate);
        Before = await ExportAsync("before.wav");

        string go = Path.Combine(Folder, "take-is-made");
        string traceName = s.Name + "-loop";
        using var lua = ardour.StartLua("loop_generate", [SessionDirectory, Name, Invariant(s.Rate), Invariant(s.LoopPasses), go, s.PluginTrack, .. (s.LoopFades ? [] : new[] { "no-loop-fades" })], traceName);
        try
        {
            if (await lua.WaitForLineAsync(l => l.StartsWith("ACESTEP page", StringComparison.Ordinal), s_pageLimit) is null)
                throw new ArdourRunException($"loop_generate.lua never opened the page:\n{lua.Output}\n{ardour.Log}");

            InstanceId = PluginTrace.Read(ardour.TracePath(traceName)).Named("getState").Last().Json.GetProperty("instanceId").GetString()!;
            var page = new Uri(engine.HttpAddress, $"/control/{InstanceId}/");
            var keptBefore = ReceivedTask.KeptInputs(engine.Home);
            ViewBeforeGenerate = await WaitForViewAsync(http, page, v => v["sampleRate"]?.GetValue<double>() == s.Rate && v["context"]?["rangeSource"] is not null, lua);
            using (var response = await http.PostAsync(new Uri(page, "commands"), JsonContent.Create(new JsonObject
            {
                ["command"] = "generate",
                ["settings"] = Settings(s),
            })))
            {
                if (!response.IsSuccessStatusCode)
                    throw new ArdourRunException($"the page refused Generate: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            View = await WaitForViewAsync(http, page, v => v["job"]?["state"]?.GetValue<string>() is "failed"
                || (v["job"]?["state"]?.GetValue<string>() == "done" && v["takes"]?.AsArray().Count > 0), lua);
            TakeFiles = CurrentTakeFiles();
            Received = ReceivedTask.ReadNew(engine.Home, keptBefore);
        }
        finally
        {
            await File.WriteAllTextAsync(go, "done");
        }

        Loop = await ardour.FinishLuaAsync(lua, "loop_generate", traceName);
        After = await ExportAsync("after.wav");
    }

    /// <summary>What the page sends with Generate: a repaint with a prompt, or Add a Part with the part to play.</summary>
    private static JsonObject Settings(LoopScenario scenario)
    {
        var settings = new JsonObject
        {
            ["mode"] = scenario.Mode, ["prompt"] = "bright analog synth arpeggio", ["lyrics"] = "", ["keyScale"] = "auto",
            ["strength"] = 0.7, ["coverScale"] = 1.0, ["steps"] = 4, ["seed"] = 1234, ["language"] = "en",
        };
        if (scenario.Part is { } part)
            settings["trackName"] = part;
        return settings;
    }

    private static async Task<JsonNode> WaitForViewAsync(HttpClient http, Uri page, Func<JsonNode, bool> ready, LiveProcess lua)
    {
        var deadline = DateTime.UtcNow + s_pageLimit;
        string last = "(none)";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(page, "view"));
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadAsStringAsync();
                if (JsonNode.Parse(last) is { } view && ready(view))
                    return view;
            }

            await Task.Delay(200);
        }

        throw new ArdourRunException($"the control page at {page} never showed what the test waited for; last view:\n{Truncate(last)}\n{lua.Output}");
    }

    private static AudioBuffer ReadWav(string path)
    {
        using var file = File.OpenRead(path);
        return WavFile.Read(file);
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";

    private static string Invariant(double value) => ArdourWorkspace.Invariant(value);
}
