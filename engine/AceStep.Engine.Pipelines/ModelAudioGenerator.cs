using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Sampling;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.ModelStore;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines;

/// <summary>
/// The engine's <see cref="IAudioGenerator"/> on ACE-Step v1.5: finds the checkpoints of the requested model in the
/// models directory (answering <c>modelNotFound</c> with the exact <c>acestep models pull</c> commands when one is
/// missing), keeps one <see cref="AceStepModels"/> per variant, and runs each job on a dedicated thread. Text-to-music
/// jobs are first planned by the 5 Hz LM when <see cref="PlannerSettings"/> enable it and its checkpoint is installed
/// (spec §7.5); the LM is optional (spec §9.2), so without it they run on the request alone and the log says how to
/// install it. Repaint and cover never use it (upstream's <c>skip_lm_tasks</c>), nor do lego, extract and complete
/// (docs/pipelines.md: upstream skips it for extract, its UI turns it off for lego, and its codes would replace the
/// source context of a complete).
/// </summary>
public sealed class ModelAudioGenerator : IAudioGenerator, IDisposable
{
    /// <summary>The shared checkpoints every variant needs.</summary>
    public const string TextEncoderId = "Qwen3-Embedding-0.6B", VaeId = "vae";

    /// <summary>The share of a planned job's progress bar that planning takes.</summary>
    public const double PlannerShare = 0.3;

    private readonly ModelLocator _locator;
    private readonly Lazy<WeightLoadOptions> _options;
    private readonly MemoryMode _mode;
    private readonly ComputeOverrides _compute;
    private readonly PlannerSettings _planner;
    private readonly WaveletCorrection _dcw;
    private readonly Action<string>? _log;
    private readonly Dictionary<string, AceStepModels> _sets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneJob = new(1, 1);
    private bool _toldPlannerMissing;

    /// <summary>Creates the generator.</summary>
    /// <param name="locator">Finds installed models.</param>
    /// <param name="options">Device and dtype policy for the weights, asked for once, before the first job (creating the
    /// torch runtime loads libtorch, which an engine that never generates need not do).</param>
    /// <param name="mode">Resident or sequential model memory.</param>
    /// <param name="planner">Which LM plans text-to-music, or off; null = <see cref="PlannerSettings.Default"/>.</param>
    /// <param name="log">Receives one line per notable event (planner missing, planner metadata); null = silent.</param>
    /// <param name="dcw">DCW after every sampler step; null = latest upstream's default (on).</param>
    /// <param name="compute">Forced choices of the CPU compute plan (<see cref="ComputePlanFor(bool, MemoryMode, ComputeOverrides?)"/>); null = automatic.</param>
    public ModelAudioGenerator(ModelLocator locator, Func<WeightLoadOptions> options, MemoryMode mode = MemoryMode.Resident,
        PlannerSettings? planner = null, Action<string>? log = null, WaveletCorrection? dcw = null, ComputeOverrides? compute = null)
    {
        _compute = compute ?? ComputeOverrides.None;
        _locator = locator ?? throw new ArgumentNullException(nameof(locator));
        ArgumentNullException.ThrowIfNull(options);
        _options = new Lazy<WeightLoadOptions>(options);
        _mode = mode;
        _planner = planner ?? PlannerSettings.Default;
        _dcw = dcw ?? WaveletCorrection.Upstream;
        _log = log;
    }

    /// <summary>
    /// The compute plan for weights loaded with <paramref name="options"/>: chosen from this CPU's features on the CPU
    /// (<see cref="ComputePlan.Choose"/>), nothing re-held on a GPU.
    /// </summary>
    public static ComputePlan ComputePlanFor(WeightLoadOptions options, MemoryMode mode, ComputeOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ComputePlanFor(onGpu: options.Device is { type: not TorchSharp.DeviceType.CPU }, mode, overrides);
    }

    /// <summary>The compute plan for a run on the GPU or the CPU (before libtorch has resolved the device, e.g. for
    /// <c>ping</c>'s report).</summary>
    public static ComputePlan ComputePlanFor(bool onGpu, MemoryMode mode, ComputeOverrides? overrides = null) =>
        onGpu
            ? ComputePlan.ForGpu(CpuFeatures.Current)
            : ComputePlan.Choose(CpuFeatures.Current, mode == MemoryMode.Compact, overrides);

    /// <summary>The DiT checkpoint a task API model id runs on.</summary>
    public static string? DitIdFor(string model) => model switch
    {
        _ when string.Equals(model, AudioModelCatalog.Base.Id, StringComparison.OrdinalIgnoreCase) => "acestep-v15-base",
        _ when string.Equals(model, AudioModelCatalog.Turbo.Id, StringComparison.OrdinalIgnoreCase) => "acestep-v15-turbo",
        _ => null,
    };

    /// <inheritdoc />
    public string? WhyUnavailable(string model)
    {
        if (DitIdFor(model) is not { } dit)
            return $"The model '{model}' is not one this engine runs.";
        var missing = new[] { dit, TextEncoderId, VaeId }.Where(id => !_locator.TryLocate(id, out _)).ToList();
        if (missing.Count == 0)
            return null;
        var commands = string.Join(" && ", missing.Select(id => ModelCatalogue.Official.Get(id).PullCommand));
        return $"The model '{model}' needs {string.Join(", ", missing)}, not installed in {_locator.ModelsDirectory}. Install with: {commands}";
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        if (WhyUnavailable(job.Request.Model) is { } why)
            throw new InvalidOperationException(why);

        await _oneJob.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Inference is seconds to minutes of native compute: keep it off the thread pool.
            return await Task.Factory.StartNew<IReadOnlyList<GeneratedAudio>>(() => Run(job, progress, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _oneJob.Release();
        }
    }

    // True while a model set holds a loaded planner LM (tests: the planner option really keeps the LM out).
    internal bool PlannerLoaded => _sets.Values.Any(s => s.PlannerLoaded);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var set in _sets.Values)
            set.Dispose();
        _sets.Clear();
        _oneJob.Dispose();
    }

    private List<GeneratedAudio> Run(GenerationJob job, IProgress<GenerationProgress> progress, CancellationToken cancellationToken)
    {
        var models = ModelsFor(job.Request.Model);
        float[]? source = null;
        if (job.Source is { } audio)
        {
            if (audio.SampleRate != JobPlanner.SampleRate || audio.Channels != 2)
                throw new ArgumentException($"Source audio must be 48 kHz stereo, got {audio.SampleRate} Hz × {audio.Channels}.", nameof(job));
            source = audio.Samples;
        }

        var plan = JobPlanner.Plan(job.Request, source is null ? 0 : source.Length / 2);
        PipelineProgress report = (fraction, stage) => progress.Report(new GenerationProgress(fraction, stage));
        if (plan.Kind == JobKind.TextToMusic && models.HasPlanner)
        {
            var lm = models.Planner.Plan(JobPlanner.PlannerRequest(job.Request), job.Seeds,
                fraction => report(PlannerShare * fraction, "planner"), cancellationToken);
            models.PlanningDone();
            plan = JobPlanner.WithPlannerResult(plan, job.Request, lm, _planner.UseLmCaption);
            _log?.Invoke($"Planner {_planner.LmId}: {lm.CotText.ReplaceLineEndings(" ")} ({lm.Codes[0].Length} codes per result).");
            var pipelineReport = report;
            report = (fraction, stage) => pipelineReport(PlannerShare + ((1 - PlannerShare) * fraction), stage);
        }

        var results = new MusicPipeline(models) { Dcw = _dcw }.Run(plan, job.Seeds, source, report, cancellationToken);
        return results.Select((samples, i) => new GeneratedAudio(new AudioBuffer(samples, JobPlanner.SampleRate, 2), job.Seeds[i])).ToList();
    }

    private AceStepModels ModelsFor(string model)
    {
        var dit = DitIdFor(model)!;
        var lm = PlannerDirectory();
        if (!_sets.TryGetValue(dit, out var set) || set.Paths.Lm != lm)
        {
            // One variant at a time in memory: switching drops the other's weights (also when the planner LM was
            // installed since the set was made).
            foreach (var other in _sets.Values)
                other.Dispose();
            _sets.Clear();
            var options = _options.Value;
            set = new AceStepModels(new ModelPaths(_locator.Locate(dit), _locator.Locate(TextEncoderId), _locator.Locate(VaeId), lm),
                options, _mode, _planner, ComputePlanFor(options, _mode, _compute));
            _sets[dit] = set;
        }

        return set;
    }

    // The configured LM's directory; null when the planner is off or its LM is not installed (then said once in the log).
    private string? PlannerDirectory()
    {
        if (_planner.LmId is not { } id)
            return null;
        if (_locator.TryLocate(id, out var directory))
            return directory;
        if (!_toldPlannerMissing)
        {
            _toldPlannerMissing = true;
            _log?.Invoke($"The planner LM {id} is not installed in {_locator.ModelsDirectory}; text-to-music runs without it. " +
                $"Install it with: {ModelCatalogue.Official.Get(id).PullCommand} (or start the engine with --planner off).");
        }

        return null;
    }
}
