using System.Globalization;
using System.Reflection;
using System.Text;

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

    private static readonly TimeSpan s_runLimit = TimeSpan.FromSeconds(90);
    private readonly StringBuilder _log = new();
    private string _root = "";
    private Dictionary<string, string> _environment = [];
    private string _lua = "";

    internal ArdourRunResult Create { get; private set; } = ArdourRunResult.Empty;
    internal ArdourRunResult Play { get; private set; } = ArdourRunResult.Empty;
    internal ArdourRunResult Reload { get; private set; } = ArdourRunResult.Empty;

    /// <summary>Everything the Ardour programs printed and the plugin traced, for failure messages.</summary>
    public string Log => _log.ToString();

    public string SessionPath => Path.Combine(_root, "session", "acestep.ardour");

    public async Task InitializeAsync()
    {
        _lua = ArdourInstall.RequireLua();
        _root = Directory.CreateTempSubdirectory("acestep-ardour-").FullName;
        string vst3 = Path.Combine(_root, "vst3");
        string bundle = Path.Combine(vst3, "AceStep.vst3");
        CopyBackdated(BundlePath(), bundle);
        // Ardour's config and plugin cache go to the temp folder, not the user's ~/.config and ~/.cache.
        _environment = new()
        {
            ["XDG_CONFIG_HOME"] = Path.Combine(_root, "config"),
            ["XDG_CACHE_HOME"] = Path.Combine(_root, "cache"),
            ["VST3_PATH"] = vst3,
            ["LD_LIBRARY_PATH"] = ArdourInstall.LibraryDirectory,
        };

        var scan = await RunAsync(ArdourInstall.Scanner, ["-f", bundle], trace: null);
        string cache = Path.Combine(_root, "cache");
        if (scan.ExitCode != 0 || !Directory.Exists(cache) || !Directory.EnumerateFiles(cache, "*.v3i", SearchOption.AllDirectories).Any())
        {
            throw new ArdourRunException("the VST3 scanner did not cache the plugin:\n" + Log);
        }

        string sessionDir = Path.GetDirectoryName(SessionPath)!;
        Create = await RunLuaAsync("create", [sessionDir, "acestep", Invariant(SampleRate), Invariant(Bpm), Invariant(MeterNumerator), Invariant(MeterDenominator), "Steps=" + Invariant(CreatedSteps)]);
        Create = Create with { Chunk = SessionFile.PluginChunk(SessionPath) };

        SessionFile.AddLoopRange(SessionPath, LoopStartSample, LoopEndSample, SampleRate);
        Play = await RunLuaAsync("play", [sessionDir, "acestep", Invariant(SampleRate), Invariant(RollSeconds), "Seed=" + Invariant(PlayedSeed), "Mode=" + Invariant(PlayedMode)]);
        Play = Play with { Chunk = SessionFile.PluginChunk(SessionPath) };

        Reload = await RunLuaAsync("reload", [sessionDir, "acestep", Invariant(SampleRate)]);
        Reload = Reload with { Chunk = SessionFile.PluginChunk(SessionPath) };
    }

    public Task DisposeAsync()
    {
        if (_root.Length > 0 && Environment.GetEnvironmentVariable("ACESTEP_KEEP_ARDOUR_SESSION") is not { Length: > 0 })
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The published bundle (ACESTEP_VST3_BUNDLE overrides, as in the plugin tests).</summary>
    private static string BundlePath()
    {
        string path = Environment.GetEnvironmentVariable("ACESTEP_VST3_BUNDLE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : typeof(ArdourSessionFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AceStepBundle").Value!;
        if (!Directory.Exists(path))
        {
            throw new ArdourRunException($"no plugin bundle at {path} (dotnet publish plugin/AceStep.Plugin -c Release)");
        }

        return path;
    }

    /// <summary>
    /// Copies the bundle and dates every entry in 2020: Ardour lists a plugin only when its scan cache (written
    /// now) is newer than the bundle; an older cache counts as "new plugin, not scanned yet".
    /// </summary>
    private static void CopyBackdated(string from, string to)
    {
        var past = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, past);
        }

        foreach (string directory in Directory.EnumerateDirectories(to, "*", SearchOption.AllDirectories).Append(to))
        {
            Directory.SetLastWriteTimeUtc(directory, past);
        }
    }

    private async Task<ArdourRunResult> RunLuaAsync(string script, IEnumerable<string> arguments)
    {
        string scripts = Path.Combine(AppContext.BaseDirectory, "Lua");
        string trace = Path.Combine(_root, script + ".jsonl");
        var run = await RunAsync(_lua, [Path.Combine(scripts, script + ".lua"), Path.Combine(scripts, "common.lua"), .. arguments], trace);
        var result = new ArdourRunResult(run, PluginTrace.Read(trace), LuaReport.Parse(run.Output), []);
        _log.AppendLine(CultureInfo.InvariantCulture, $"--- trace of {script}.lua").AppendLine(result.Trace.ToString());
        if (run.ExitCode != 0 || !result.Report.TryGetValue("done", out string? done) || done != script)
        {
            throw new ArdourRunException($"{script}.lua did not finish:\n" + Log);
        }

        return result;
    }

    private async Task<ProcessRun> RunAsync(string file, IEnumerable<string> arguments, string? trace)
    {
        var environment = new Dictionary<string, string>(_environment);
        if (trace is not null)
        {
            environment["ACESTEP_PLUGIN_TRACE"] = trace;
        }

        var run = await ProcessRun.RunAsync(file, arguments, environment, s_runLimit);
        _log.AppendLine(run.ToString());
        return run;
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
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
