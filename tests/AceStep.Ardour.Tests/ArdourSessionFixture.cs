using System.Globalization;

namespace AceStep.Ardour.Tests;

/// <summary>
/// Runs the whole Ardour scenario once for all tests: scan the published bundle, create a session (48 kHz, 128 BPM,
/// 7/8, the plugin on an audio track, Steps = 77), patch a loop range over bars 2–3 into the session file, play the
/// loop and save while it plays, change Seed and Mode and save, then load the session again and save. Each
/// ardour7-lua run gets its own trace file (ACESTEP_PLUGIN_TRACE). Takes about 15 s.
/// </summary>
public sealed class ArdourSessionFixture : IAsyncLifetime
{
    public const int SampleRate = 48_000;
    public const double Bpm = 128;
    public const int MeterNumerator = 7;
    public const int MeterDenominator = 8;

    /// <summary>Quarter notes per 7/8 bar.</summary>
    public const double QuartersPerBar = MeterNumerator * 4.0 / MeterDenominator;

    /// <summary>The loop: bar 2 up to bar 4 (two bars), in quarter notes and samples.</summary>
    public const double LoopStartPpq = QuartersPerBar;
    public const double LoopEndPpq = 3 * QuartersPerBar;
    public const long LoopStartSample = 78_750;   // 3.5 quarters × 60/128 s × 48000
    public const long LoopEndSample = 236_250;    // 10.5 quarters

    /// <summary>Longer than the loop (3.28 s) from its start, so the position must have wrapped when the save happens.</summary>
    public const double RollSeconds = 6;

    public const double CreatedSteps = 77;
    public const double PlayedSeed = 4242;
    public const double PlayedMode = 2; // Generate

    private ArdourWorkspace? _workspace;

    internal ArdourRunResult Create { get; private set; } = ArdourRunResult.Empty;
    internal ArdourRunResult Play { get; private set; } = ArdourRunResult.Empty;
    internal ArdourRunResult Reload { get; private set; } = ArdourRunResult.Empty;

    /// <summary>Everything the Ardour programs printed and the plugin traced, for failure messages.</summary>
    public string Log => _workspace?.Log ?? "";

    public string SessionPath => Path.Combine(_workspace!.Root, "session", "acestep.ardour");

    public async Task InitializeAsync()
    {
        _workspace = await ArdourWorkspace.CreateAsync("acestep-ardour-");
        string sessionDir = Path.GetDirectoryName(SessionPath)!;
        Create = await _workspace.RunLuaAsync("create", [sessionDir, "acestep", Invariant(SampleRate), Invariant(Bpm), Invariant(MeterNumerator), Invariant(MeterDenominator), "Steps=" + Invariant(CreatedSteps)]);
        Create = Create with { Chunk = SessionFile.PluginChunk(SessionPath) };

        SessionFile.AddLoopRange(SessionPath, LoopStartSample, LoopEndSample, SampleRate);
        Play = await _workspace.RunLuaAsync("play", [sessionDir, "acestep", Invariant(SampleRate), Invariant(RollSeconds), "Seed=" + Invariant(PlayedSeed), "Mode=" + Invariant(PlayedMode)]);
        Play = Play with { Chunk = SessionFile.PluginChunk(SessionPath) };

        Reload = await _workspace.RunLuaAsync("reload", [sessionDir, "acestep", Invariant(SampleRate)]);
        Reload = Reload with { Chunk = SessionFile.PluginChunk(SessionPath) };
    }

    public Task DisposeAsync()
    {
        _workspace?.Dispose();
        return Task.CompletedTask;
    }

    private static string Invariant(double value) => ArdourWorkspace.Invariant(value);
}

/// <summary>One ardour7-lua run: its output, the plugin's trace, the script's ACESTEP reports, the chunk saved after it.</summary>
internal sealed record ArdourRunResult(ProcessRun Run, PluginTrace Trace, IReadOnlyDictionary<string, string> Report, byte[] Chunk)
{
    internal static ArdourRunResult Empty { get; } = new(new ProcessRun("", 0, "", false), new PluginTrace([]), new Dictionary<string, string>(), []);
}

/// <summary>The "ACESTEP key value" lines the Lua scripts print.</summary>
internal static class LuaReport
{
    public static IReadOnlyDictionary<string, string> Parse(string output)
    {
        var report = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            const string Prefix = "ACESTEP ";
            if (!line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            // Keys may contain spaces ("played.Cover Scale"); the value is the last word.
            string rest = line[Prefix.Length..].TrimEnd('\r');
            int space = rest.LastIndexOf(' ');
            if (space > 0)
            {
                report[rest[..space]] = rest[(space + 1)..];
            }
        }

        return report;
    }
}
