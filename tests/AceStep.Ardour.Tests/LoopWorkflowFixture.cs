using AceStep.Audio;

namespace AceStep.Ardour.Tests;

/// <summary>
/// Runs the loop workflow (<see cref="LoopTakeRun"/>) once per <see cref="LoopScenario"/> against one diagnostic
/// engine, then, on the first scenario, the A/B switch and a second reload. A scenario that fails keeps its exception
/// for its own tests; the others still run. About 2–3 minutes in all (recording and loop playback are real time).
/// </summary>
public sealed class LoopWorkflowFixture : IAsyncLifetime
{
    private readonly Dictionary<string, LoopTakeRun> _runs = [];
    private readonly Dictionary<string, Exception> _failures = [];
    private ArdourWorkspace? _ardour;
    private DiagnosticEngine? _engine;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The A/B exports of the first scenario: Listen = Original, then Listen = Take again.</summary>
    internal (AudioBuffer Original, AudioBuffer Take, IReadOnlyList<string> TakeFilesAfter)? ListenSwitch { get; private set; }

    internal Exception? ListenFailure { get; private set; }

    /// <summary>The trace of the preset run: both instances' getState after the preset was loaded into the second.</summary>
    internal PluginTrace? PresetTrace { get; private set; }

    internal Exception? PresetFailure { get; private set; }

    /// <summary>Everything the programs printed (for failure messages).</summary>
    public string Log => (_ardour?.Log ?? "") + "\n--- engine\n" + (_engine?.Log ?? "");

    internal LoopTakeRun Run(LoopScenario scenario)
    {
        if (_failures.TryGetValue(scenario.Name, out var failure))
            throw new ArdourRunException($"the {scenario} workflow failed: {failure}");
        return _runs[scenario.Name];
    }

    public async Task InitializeAsync()
    {
        _ardour = await ArdourWorkspace.CreateAsync("acestep-ardour-loop-", new Dictionary<string, string> { ["ACESTEP_NO_BROWSER"] = "1" });
        _engine = await DiagnosticEngine.StartAsync(Path.Combine(_ardour.Root, "engine-home"));
        foreach (var scenario in LoopScenario.All)
        {
            try
            {
                _runs[scenario.Name] = await LoopTakeRun.RunAsync(_ardour, _engine, _http, scenario);
            }
#pragma warning disable CA1031 // kept for the scenario's tests, which report it with the logs
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failures[scenario.Name] = e;
            }
        }

        if (_runs.TryGetValue(LoopScenario.Waltz48k.Name, out var first))
        {
            try
            {
                var ardour = first.Ardour;
                await ardour.RunLuaAsync("reload", [first.SessionDirectory, "acestep", ArdourWorkspace.Invariant(first.Scenario.Rate), "Listen=0"], "listen-original");
                var original = await first.ExportAsync("listen-original.wav");
                await ardour.RunLuaAsync("reload", [first.SessionDirectory, "acestep", ArdourWorkspace.Invariant(first.Scenario.Rate), "Listen=1"], "listen-take");
                var take = await first.ExportAsync("listen-take.wav");
                ListenSwitch = (original, take, first.CurrentTakeFiles());
            }
#pragma warning disable CA1031
            catch (Exception e)
#pragma warning restore CA1031
            {
                ListenFailure = e;
            }

            try
            {
                // Ardour writes user presets under $HOME/.vst3/presets: a private home keeps the user's clean.
                var ardour = first.Ardour.With(new Dictionary<string, string> { ["HOME"] = Path.Combine(first.Folder, "home") });
                PresetTrace = (await ardour.RunLuaAsync("preset", [first.SessionDirectory, "acestep", ArdourWorkspace.Invariant(first.Scenario.Rate)], "preset")).Trace;
            }
#pragma warning disable CA1031
            catch (Exception e)
#pragma warning restore CA1031
            {
                PresetFailure = e;
            }
        }
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_engine is not null)
            await _engine.DisposeAsync();
        _ardour?.Dispose();
    }
}
