using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AceStep.Benchmarks;
using AceStep.Contracts.Tasks;
using AceStep.Contracts.Validation;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Prompts;
using AceStep.Engine.Torch;
using AceStep.Engine.Vae;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Generate-to-take: how long a producer waits for the plugin's common take — an 8-bar repaint at 120 BPM 4/4 (16 s of
/// 48 kHz stereo), the whole loop repainted as the README's loop workflow sends it — at the real widths (random weights
/// written as official-layout checkpoints, fp32 on the CPU). The task is the JSON the plugin's TaskBuilder sends,
/// validated by the engine's own validator (so every default is the engine's: turbo 8 steps without guidance, base the
/// seed's 100 steps with APG at 10, strength 0.5), planned and run through the same JobPlanner and MusicPipeline calls
/// the engine's generator makes for a repaint (no LM planner: the engine never plans a repaint). Resident: the models
/// are loaded before the measured iteration (a warm engine). Sequential: the job loads and drops each model itself.
/// Stage columns come from the pipeline's progress stages; GEMM is libtorch's fp32 2048³ measured just before the
/// iteration at the same thread count, so DiT/GEMM and VAE/GEMM are ratios of one moment. Cases: the environment
/// variable <c>ACESTEP_BENCH_TAKE</c> lists groups, comma-separated — <c>turbo</c> (default: resident, sequential and
/// compact with the engine's automatic compute plan for this CPU; the compact case also holds the 1.7B planner LM
/// resident, as the compact mode promises room for it), <c>fp32</c> (turbo, resident, fp32 everywhere: the engine
/// before the compute plan, where the plan differs), <c>compact</c> (the compact case alone),
/// <c>context</c> (turbo, resident, the plugin's 10 s of captured context on each side: a 36 s source, the 16 s loop
/// repainted), <c>threads</c> (turbo, resident, on 1 thread: the scaling), <c>base</c> (resident and sequential; at 100
/// steps of batch 2, 10–20× a turbo take), or <c>all</c>. <c>ACESTEP_BENCH_TAKE_BASE_STEPS</c> runs the base model at fewer steps than the seed's 100 (the DiT's
/// cost per step does not depend on the count, so its s/step column scales to any count).
/// </summary>
[Config(typeof(Config))]
[WarmupCount(0)]
[IterationCount(1)]
[InvocationCount(1)]
public class GenerateToTakeBenchmarks
{
    /// <summary>Eight bars of 4/4 at 120 BPM.</summary>
    public const double TakeSeconds = 16;

    private const int SampleRate = JobPlanner.SampleRate;
    private const long GemmSize = 2048;
    private static readonly Dictionary<string, TakeFigures> s_figures = [];
    private static string? s_directory;
    private static int? s_defaultThreads;

    private AceStepModels? _models;
    private Model.Lm.Qwen3CausalLm? _lm;
    private JobPlan? _plan;
    private float[] _source = [];
    private TakeFigures _current = new();

    /// <summary>Model, memory mode and thread count of the take.</summary>
    [ParamsSource(nameof(Cases))]
    public TakeCase Case { get; set; } = TakeCase.Turbo(MemoryMode.Resident);

    /// <summary>The cases <c>ACESTEP_BENCH_TAKE</c> selects, turbo first.</summary>
    public static IEnumerable<TakeCase> Cases() => TakeCase.Select(Environment.GetEnvironmentVariable("ACESTEP_BENCH_TAKE"));

    [GlobalSetup]
    public void Setup()
    {
        var runtime = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        // libtorch's thread count is process-wide: remember its default before a 1-thread case changes it.
        s_defaultThreads ??= get_num_threads();
        set_num_threads(Case.Threads ?? s_defaultThreads.Value);
        Console.WriteLine($"// {runtime.Info}, {get_num_threads()} threads for this case; load average at set-up: {LoadAverage()}");
        var directory = CheckpointDirectory();
        var request = Request(Case.IsTurbo, BaseSteps(), Case.ContextSeconds);
        _source = Source(Case.ContextSeconds);
        _plan = JobPlanner.Plan(request, _source.Length / 2);
        if (_plan.Kind != JobKind.Repaint)
            throw new InvalidOperationException($"The plugin's task was planned as {_plan.Kind}, not a repaint.");
        _models = Models(directory);
        var tokenizer = _models.Tokenizer;
        var conditionTokens = tokenizer.Encode(_plan.CaptionPrompt, ConditioningPrompts.CaptionMaxTokens, addSpecialTokens: true).Length +
            tokenizer.Encode(_plan.LyricPrompt, ConditioningPrompts.LyricsMaxTokens, addSpecialTokens: true).Length + 1;
        var batch = _plan.GuidanceScale > 1.0 ? 2 : 1;
        var vae = OobleckVaeConfig.AceStep;
        _current = new TakeFigures
        {
            Steps = _plan.Steps,
            DitFlops = _plan.Steps * DitForwardBenchmarks.ForwardFlops(batch, _plan.Frames, conditionTokens),
            EncodeFlops = vae.EncoderFlopsPerFrame * Math.Ceiling(_source.Length / 2.0 / JobPlanner.Hop),
            DecodeFlops = vae.DecoderFlopsPerFrame * _plan.Frames,
        };
        Console.WriteLine($"// Plan: {_plan.Steps} steps, guidance {_plan.GuidanceScale} ({_plan.GuidanceType}), batch {batch}, {_plan.Frames} latent frames, " +
            $"{conditionTokens} condition tokens, span {_plan.SpanStartSample}–{_plan.SpanEndSample} samples");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _models?.Dispose();
        _models = null;
    }

    [IterationSetup]
    public void BeforeIteration()
    {
        _models?.Dispose();
        _lm?.Dispose();
        _lm = null;
        _models = Models(CheckpointDirectory());
        if (Case.Mode != MemoryMode.Sequential)
            _ = (_models.TextEncoder, _models.Dit, _models.Vae, _models.Tokenizer, _models.SilenceLatent);
        if (Case.Mode == MemoryMode.Compact)
        {
            // The compact mode's promise: the base set and the 1.7B planner LM resident together.
            _lm = Model.Lm.Qwen3CausalLm.Load(LmDirectory(), new WeightLoadOptions { DType = ScalarType.Float32, Holding = _models.Compute?.Lm });
        }

        Console.WriteLine($"// Compute: LM {_models.Compute?.LmDescription ?? "fp32 (no plan)"}; DiT and text encoder {_models.Compute?.ModelsDescription ?? "fp32 (no plan)"}");
        _current.GemmGflops = GemmRate();
        _current.LoadBefore = LoadAverage();
        PeakMemory.Reset();
    }

    [IterationCleanup]
    public void AfterIteration()
    {
        _current.PeakBytes = PeakMemory.Read();
        _current.ResidentBytes = PeakMemory.Current();
        _current.LoadAfter = LoadAverage();
        s_figures[Case.ToString()] = _current;
        Console.WriteLine($"// Take ({Case}): {_current.Describe()}");
        _models?.Dispose();
        _models = null;
        _lm?.Dispose();
        _lm = null;
    }

    [Benchmark(Description = "8-bar repaint, 120 BPM (16 s)")]
    public float[] Take()
    {
        var stages = new StageClock();
        var take = new MusicPipeline(_models!).Run(_plan!, [7u], _source, stages.Report)[0];
        stages.Stop();
        _current.Stages = stages.Seconds;
        _current.TotalSeconds = stages.Elapsed;
        return take;
    }

    // The task the plugin's TaskBuilder sends for a repaint of the whole captured loop over the pipe (PCM attachment at
    // the host's rate, here 48 kHz; "auto" key, no lyrics), through the engine's validator for its defaults.
    private static AudioInferenceRequest Request(bool turbo, int? baseSteps, double context)
    {
        var task = new JsonObject
        {
            ["taskType"] = "audioInference",
            ["taskUUID"] = Guid.NewGuid().ToString(),
            ["model"] = turbo ? AudioModelCatalog.Turbo.Id : AudioModelCatalog.Base.Id,
            ["positivePrompt"] = "driving synthwave with punchy drums, warm analog bass and a bright lead",
            ["outputType"] = "attachment",
            ["outputFormat"] = "PCM_F32",
            ["audioSettings"] = new JsonObject { ["sampleRate"] = SampleRate, ["channels"] = 2 },
            ["seed"] = 7,
            ["inputs"] = new JsonObject { ["audio"] = "attachment:1" },
            ["strength"] = 0.5,
            ["settings"] = new JsonObject
            {
                ["vocalLanguage"] = "en",
                ["bpm"] = 120,
                ["timeSignature"] = 4,
                ["repaintingStart"] = context,
                ["repaintingEnd"] = context + TakeSeconds,
            },
        };
        if (!turbo && baseSteps is { } steps)
            task["steps"] = steps;
        var validation = AudioInferenceValidator.Validate(task, TransportKind.Pipe);
        return validation.IsValid
            ? validation.Value
            : throw new InvalidOperationException("The benchmark's task is invalid: " + string.Join("; ", validation.Errors.Select(e => e.Message)));
    }

    // The loop (16 s) and its context on each side: a chord with a decaying pulse on every beat, music-like, the same on
    // every run.
    private static float[] Source(double context)
    {
        var frames = (int)((TakeSeconds + (2 * context)) * SampleRate);
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            var t = i / (double)SampleRate;
            var pulse = Math.Exp(-8 * (t % 0.5));
            var chord = Math.Sin(2 * Math.PI * 110 * t) + (0.6 * Math.Sin(2 * Math.PI * 138.6 * t)) + (0.5 * Math.Sin(2 * Math.PI * 164.8 * t));
            samples[2 * i] = (float)(0.2 * chord * (0.5 + (0.5 * pulse)));
            samples[(2 * i) + 1] = (float)(0.2 * chord * (0.5 + (0.5 * pulse)) * 0.9);
        }

        return samples;
    }

    private AceStepModels Models(string directory)
    {
        var options = new WeightLoadOptions { DType = ScalarType.Float32 };
        return new(new ModelPaths(Path.Combine(directory, Case.IsTurbo ? "dit-turbo" : "dit-base"), Path.Combine(directory, "text"), Path.Combine(directory, "vae")),
            options, Case.Mode, compute: Case.Planned ? ModelAudioGenerator.ComputePlanFor(options, Case.Mode) : null);
    }

    // The 1.7B LM's checkpoint, written on first use beside the others (only the compact case loads it).
    private static string LmDirectory()
    {
        var directory = Path.Combine(CheckpointDirectory(), "lm-1.7B");
        if (!File.Exists(Path.Combine(directory, "model.safetensors")))
            RealSizeCheckpoints.WriteLm(directory, "1.7B");
        return directory;
    }

    // One set of checkpoints for the whole run: the turbo DiT is the base one's weights (same architecture) under a config
    // that says is_turbo, hard-linked rather than copied (4 GB; a symbolic link would not do: the loader checks the file's
    // length, which for a link is the link's).
    private static string CheckpointDirectory()
    {
        if (s_directory is not null)
            return s_directory;
        var directory = Path.Combine(Path.GetTempPath(), "acestep-take-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        RealSizeCheckpoints.WriteDit(Path.Combine(directory, "dit-base"));
        RealSizeCheckpoints.WriteTextEncoder(Path.Combine(directory, "text"));
        RealSizeCheckpoints.WriteVae(Path.Combine(directory, "vae"));
        var turbo = Directory.CreateDirectory(Path.Combine(directory, "dit-turbo")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(directory, "dit-base")).Where(f => Path.GetFileName(f) != "config.json"))
            if (HardLink(file, Path.Combine(turbo, Path.GetFileName(file))) != 0)
                throw new IOException($"Could not hard-link {file} into {turbo} (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}).");
        File.WriteAllText(Path.Combine(turbo, "config.json"), """{"model_type":"acestep","is_turbo":true}""");
        Console.WriteLine($"// Checkpoints written in {clock.Elapsed.TotalSeconds:F0} s to {directory}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return s_directory = directory;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int HardLink(string existing, string created);

    // libtorch fp32 GEMM 2048³ at this moment and thread count: one warm-up, the best of three.
    private static double GemmRate()
    {
        manual_seed(1);
        using var a = randn(GemmSize, GemmSize);
        using var b = randn(GemmSize, GemmSize);
        using (a.matmul(b))
        {
        }

        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using (a.matmul(b))
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 2.0 * GemmSize * GemmSize * GemmSize / best / 1e9;
    }

    // ACESTEP_BENCH_TAKE_BASE_STEPS: the base model's steps instead of the seed's 100 (every step costs the same, so the
    // DiT stage of a shorter run scales to any count: the "DiT s/step" column).
    private static int? BaseSteps()
    {
        var text = Environment.GetEnvironmentVariable("ACESTEP_BENCH_TAKE_BASE_STEPS");
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var steps) && steps is >= 1 and <= 200
            ? steps
            : throw new ArgumentException($"ACESTEP_BENCH_TAKE_BASE_STEPS must be a whole number of steps from 1 to 200, got '{text}'.");
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static TakeFigures? FiguresOf(BenchmarkDotNet.Running.BenchmarkCase c) =>
        c.Parameters["Case"] is TakeCase take && s_figures.TryGetValue(take.ToString(), out var figures) ? figures : null;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // Monitoring: each take runs once. The default strategy would first run it once more to JIT it (a whole take:
            // minutes, doubling the run); as a mutator it keeps the in-process toolchain chosen by the program.
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).AsMutator());
            ComputedColumn Stage(string name, string stage, string legend) =>
                new(name, legend, (_, c) => FiguresOf(c)?.Stages.TryGetValue(stage, out var s) is true ? s.ToString("F2", CultureInfo.InvariantCulture) : "NA");
            ComputedColumn Figure(string name, string legend, Func<TakeFigures, string> value) =>
                new(name, legend, (_, c) => FiguresOf(c) is { } f ? value(f) : "NA");

            AddColumn(
                Stage("Text s", "text-encoder", "Prompt and lyric encoding (Qwen3 text encoder; in sequential mode with its load), s"),
                Stage("Encode s", "vae-encode", "VAE encode of the source (in sequential mode with the VAE's load), s"),
                Stage("DiT s", "diffusion", "Condition encoder and every sampler step, with the repaint's latent blend (sequential: with the DiT's load), s"),
                Stage("Decode s", "vae-decode", "VAE decode of the take, s"),
                Figure("Splice ms", "Anti-clip of the new audio and the splice into the source, ms",
                    f => (f.Stages.GetValueOrDefault("splice") * 1e3).ToString("F1", CultureInfo.InvariantCulture)),
                Figure("DiT s/step", "DiT stage ÷ steps", f => (f.Stages.GetValueOrDefault("diffusion") / f.Steps).ToString("F2", CultureInfo.InvariantCulture)),
                Figure("GEMM GFLOP/s", "libtorch fp32 2048³ just before the iteration, same threads (best of 3)", f => f.GemmGflops.ToString("F0", CultureInfo.InvariantCulture)),
                Figure("DiT/GEMM", "DiT GFLOP/s (nominal forward FLOPs × steps ÷ DiT stage) ÷ GEMM GFLOP/s",
                    f => (f.DitFlops / f.Stages.GetValueOrDefault("diffusion") / 1e9 / f.GemmGflops).ToString("F2", CultureInfo.InvariantCulture)),
                Figure("Enc/GEMM", "VAE encode GFLOP/s (config FLOPs ÷ stage) ÷ GEMM GFLOP/s",
                    f => (f.EncodeFlops / f.Stages.GetValueOrDefault("vae-encode") / 1e9 / f.GemmGflops).ToString("F2", CultureInfo.InvariantCulture)),
                Figure("Dec/GEMM", "VAE decode GFLOP/s (config FLOPs ÷ stage) ÷ GEMM GFLOP/s",
                    f => (f.DecodeFlops / f.Stages.GetValueOrDefault("vae-decode") / 1e9 / f.GemmGflops).ToString("F2", CultureInfo.InvariantCulture)),
                new PeakRssColumn(c => FiguresOf(c)?.PeakBytes),
                Figure("RSS after GB", "Resident memory after the take, models still loaded (resident/compact: the engine's standing footprint)",
                    f => (f.ResidentBytes / 1e9).ToString("F2", CultureInfo.InvariantCulture)),
                Figure("Load", "Load average (1 min) before → after the iteration: the machine is shared",
                    f => f.LoadBefore.Split(' ')[0] + "→" + f.LoadAfter.Split(' ')[0]));
        }
    }

    /// <summary>What one take measured, kept for the summary's columns.</summary>
    private sealed class TakeFigures
    {
        public int Steps { get; init; }
        public double DitFlops { get; init; }
        public double EncodeFlops { get; init; }
        public double DecodeFlops { get; init; }
        public Dictionary<string, double> Stages { get; set; } = [];
        public double TotalSeconds { get; set; }
        public double GemmGflops { get; set; }
        public long PeakBytes { get; set; }
        public long ResidentBytes { get; set; }
        public string LoadBefore { get; set; } = string.Empty;
        public string LoadAfter { get; set; } = string.Empty;

        public string Describe() =>
            $"total {TotalSeconds:F1} s — " + string.Join(", ", Stages.Select(s => $"{s.Key} {s.Value:F3} s")) +
            $"; DiT {Stages.GetValueOrDefault("diffusion") / Steps:F2} s/step over {Steps} steps; GEMM {GemmGflops:F0} GFLOP/s; " +
            $"peak RSS {PeakBytes / 1e9:F2} GB; load {LoadBefore} → {LoadAfter}";
    }
}

/// <summary>One Generate-to-take case: the model, the memory mode, the libtorch thread count (null: the default), whether
/// the engine's compute plan applies, and the captured context on each side of the loop.</summary>
/// <param name="IsTurbo">Turbo (8 steps, no guidance) or base (the seed's 100 steps, APG).</param>
/// <param name="Mode">Resident, sequential or compact model memory.</param>
/// <param name="Threads">libtorch intra-op threads, or null for libtorch's default (the machine's cores).</param>
/// <param name="Planned">The engine's automatic compute plan for this CPU; false = fp32 everywhere (before the plan).</param>
/// <param name="ContextSeconds">Source audio before and after the 16 s loop (the plugin captures up to 10 s each side).</param>
public sealed record TakeCase(bool IsTurbo, MemoryMode Mode, int? Threads = null, bool Planned = true, double ContextSeconds = 0)
    : IComparable<TakeCase>, IComparable
{
    // BenchmarkDotNet orders a parameter's values by IComparable: turbo first (the short, practical case), the fp32
    // baseline before the planned cases, resident before sequential before compact, context and 1-thread cases after.
    private int Order => (IsTurbo ? 0 : 20) + (Planned ? 1 : 0) + (Threads is null ? 0 : 10) + (ContextSeconds > 0 ? 5 : 0) + (2 * (int)Mode);

    /// <inheritdoc />
    public int CompareTo(TakeCase? other) => other is null ? 1 : Order.CompareTo(other.Order);

    /// <inheritdoc />
    public int CompareTo(object? obj) => CompareTo(obj as TakeCase);

    /// <summary>Run order.</summary>
    public static bool operator <(TakeCase? left, TakeCase? right) => Compare(left, right) < 0;

    /// <summary>Run order.</summary>
    public static bool operator <=(TakeCase? left, TakeCase? right) => Compare(left, right) <= 0;

    /// <summary>Run order.</summary>
    public static bool operator >(TakeCase? left, TakeCase? right) => Compare(left, right) > 0;

    /// <summary>Run order.</summary>
    public static bool operator >=(TakeCase? left, TakeCase? right) => Compare(left, right) >= 0;

    private static int Compare(TakeCase? left, TakeCase? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    /// <summary>A turbo case.</summary>
    public static TakeCase Turbo(MemoryMode mode, int? threads = null) => new(true, mode, threads);

    /// <summary>The cases of a comma-separated group list (turbo, threads, base, all); null or empty = turbo.</summary>
    /// <exception cref="ArgumentException">An unknown group, naming the ones there are.</exception>
    public static IEnumerable<TakeCase> Select(string? groups)
    {
        var names = (string.IsNullOrWhiteSpace(groups) ? "turbo" : groups).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Contains("all", StringComparer.OrdinalIgnoreCase))
            names = ["turbo", "fp32", "context", "threads", "base"];
        var unknown = names.Where(n => n.ToLowerInvariant() is not ("turbo" or "fp32" or "compact" or "context" or "threads" or "base")).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"ACESTEP_BENCH_TAKE: unknown group(s) {string.Join(", ", unknown)}; use turbo, fp32, compact, context, threads, base or all.", nameof(groups));
        if (names.Contains("fp32", StringComparer.OrdinalIgnoreCase))
            yield return Turbo(MemoryMode.Resident) with { Planned = false };
        if (names.Contains("compact", StringComparer.OrdinalIgnoreCase) && !names.Contains("turbo", StringComparer.OrdinalIgnoreCase))
            yield return Turbo(MemoryMode.Compact);
        if (names.Contains("turbo", StringComparer.OrdinalIgnoreCase))
        {
            yield return Turbo(MemoryMode.Resident);
            yield return Turbo(MemoryMode.Sequential);
            yield return Turbo(MemoryMode.Compact);
        }

        if (names.Contains("context", StringComparer.OrdinalIgnoreCase))
            yield return Turbo(MemoryMode.Resident) with { ContextSeconds = 10 };

        if (names.Contains("threads", StringComparer.OrdinalIgnoreCase))
            yield return Turbo(MemoryMode.Resident, threads: 1);
        if (names.Contains("base", StringComparer.OrdinalIgnoreCase))
        {
            yield return new TakeCase(false, MemoryMode.Resident);
            yield return new TakeCase(false, MemoryMode.Sequential);
        }
    }

    /// <summary>The case as the summary table shows it (BenchmarkDotNet cuts values past 20 characters): "turbo resident 1T"
    /// is turbo, resident, on 1 thread.</summary>
    public override string ToString() =>
        (IsTurbo ? "turbo" : "base") + " " + Mode.ToString().ToLowerInvariant() + (Threads is { } t ? $" {t}T" : "") +
        (Planned ? "" : " fp32") + (ContextSeconds > 0 ? $" +{ContextSeconds:0}s" : "");
}
