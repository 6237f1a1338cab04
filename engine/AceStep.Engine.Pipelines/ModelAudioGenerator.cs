using AceStep.Audio;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Generation;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.ModelStore;
using AceStep.Engine.Pipelines.Planning;

namespace AceStep.Engine.Pipelines;

/// <summary>
/// The engine's <see cref="IAudioGenerator"/> on ACE-Step v1.5: finds the checkpoints of the requested model in the
/// models directory (answering <c>modelNotFound</c> with the exact <c>acestep models pull</c> commands when one is
/// missing), keeps one <see cref="AceStepModels"/> per variant, and runs each job on a dedicated thread.
/// </summary>
public sealed class ModelAudioGenerator : IAudioGenerator, IDisposable
{
    /// <summary>The shared checkpoints every variant needs.</summary>
    public const string TextEncoderId = "Qwen3-Embedding-0.6B", VaeId = "vae";

    private readonly ModelLocator _locator;
    private readonly Lazy<WeightLoadOptions> _options;
    private readonly MemoryMode _mode;
    private readonly Dictionary<string, AceStepModels> _sets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneJob = new(1, 1);

    /// <summary>Creates the generator.</summary>
    /// <param name="locator">Finds installed models.</param>
    /// <param name="options">Device and dtype policy for the weights, asked for once, before the first job (creating the
    /// torch runtime loads libtorch, which an engine that never generates need not do).</param>
    /// <param name="mode">Resident or sequential model memory.</param>
    public ModelAudioGenerator(ModelLocator locator, Func<WeightLoadOptions> options, MemoryMode mode = MemoryMode.Resident)
    {
        _locator = locator ?? throw new ArgumentNullException(nameof(locator));
        ArgumentNullException.ThrowIfNull(options);
        _options = new Lazy<WeightLoadOptions>(options);
        _mode = mode;
    }

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
        var results = new MusicPipeline(models).Run(plan, job.Seeds, source,
            (fraction, stage) => progress.Report(new GenerationProgress(fraction, stage)), cancellationToken);
        return results.Select((samples, i) => new GeneratedAudio(new AudioBuffer(samples, JobPlanner.SampleRate, 2), job.Seeds[i])).ToList();
    }

    private AceStepModels ModelsFor(string model)
    {
        var dit = DitIdFor(model)!;
        if (!_sets.TryGetValue(dit, out var set))
        {
            // One variant at a time in memory: switching drops the other's weights.
            foreach (var other in _sets.Values)
                other.Dispose();
            _sets.Clear();
            set = new AceStepModels(new ModelPaths(_locator.Locate(dit), _locator.Locate(TextEncoderId), _locator.Locate(VaeId)), _options.Value, _mode);
            _sets[dit] = set;
        }

        return set;
    }
}
