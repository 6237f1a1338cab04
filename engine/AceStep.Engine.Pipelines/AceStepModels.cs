using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Tokenization;
using AceStep.Engine.Vae;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines;

/// <summary>Where the checkpoints of one model live (official Hugging Face layout each).</summary>
/// <param name="Dit">The DiT checkpoint directory (e.g. <c>checkpoints/acestep-v15-base</c>): config.json,
/// model.safetensors, silence_latent.pt.</param>
/// <param name="TextEncoder">The Qwen3-Embedding-0.6B directory (weights and tokenizer files).</param>
/// <param name="Vae">The VAE directory.</param>
/// <param name="Lm">The 5 Hz planner LM directory (weights and its tokenizer, which holds the audio-code tokens), or
/// null: no planner.</param>
public sealed record ModelPaths(string Dit, string TextEncoder, string Vae, string? Lm = null);

/// <summary>How models share memory (issue: 16 GB machines and small GPUs).</summary>
public enum MemoryMode
{
    /// <summary>Every model stays loaded after first use: fastest for repeated jobs.</summary>
    Resident,

    /// <summary>Only the stage's model is held: the planner LM is dropped after planning, the text encoder after
    /// encoding and the DiT before decoding, so the peak is the largest model alone plus the small VAE. Each job reloads
    /// (seconds from the OS page cache).</summary>
    Sequential,

    /// <summary>Every model stays loaded, with compact weights on the CPU (<see cref="ComputePlan"/>: the LM in int8,
    /// the DiT's and text encoder's linear layers in bf16): the base set plus the 1.7B LM in under 10 GB.</summary>
    Compact,
}

/// <summary>
/// The models of one ACE-Step variant, each loaded on first use (and unloaded between stages in
/// <see cref="MemoryMode.Sequential"/>). Thread-safe loading; a pipeline uses them from one thread at a time.
/// </summary>
public sealed class AceStepModels : IDisposable
{
    private readonly LoadOnFirstUse<QwenTokenizerHolder> _tokenizer;
    private readonly LoadOnFirstUse<Qwen3TextModel> _text;
    private readonly LoadOnFirstUse<AceStepConditionGenerationModel> _dit;
    private readonly LoadOnFirstUse<OobleckVae> _vae;
    private readonly LoadOnFirstUse<Tensor> _silence;
    private readonly LoadOnFirstUse<LoadedPlanner>? _planner;

    /// <summary>Creates the set; nothing is loaded until used.</summary>
    /// <param name="paths">The checkpoint directories.</param>
    /// <param name="options">Device and dtype of the weights.</param>
    /// <param name="mode">Resident or sequential memory.</param>
    /// <param name="planner">Sampling and caption budget of the planner LM (used when <see cref="ModelPaths.Lm"/> is
    /// set); null = the defaults.</param>
    /// <param name="compute">How the models' weights are held and multiplied on the CPU; null keeps every weight fp32
    /// (what a GPU run and the parity tests use).</param>
    public AceStepModels(ModelPaths paths, WeightLoadOptions options, MemoryMode mode = MemoryMode.Resident, PlannerSettings? planner = null,
        ComputePlan? compute = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        Paths = paths;
        Mode = mode;
        Compute = compute;
        var models = options with { Holding = compute?.Models };
        _tokenizer = new(() => new QwenTokenizerHolder(QwenTokenizer.Load(paths.TextEncoder)));
        _text = new(() => Qwen3TextModel.Load(paths.TextEncoder, models));
        _dit = new(() => AceStepConditionGenerationModel.Load(paths.Dit, models));
        _vae = new(() => LoadVae(paths.Vae, options, mode));
        _silence = new(() => AceStep.Engine.Model.Weights.SilenceLatent.Load(Path.Combine(paths.Dit, AceStepConditionGenerationModel.SilenceLatentFile), options.DType, options.Device));
        if (paths.Lm is { } lm)
            _planner = new(() => LoadedPlanner.Load(lm, options with { Holding = compute?.Lm }, planner ?? PlannerSettings.Default));
    }

    // The compact mode holds an fp32 VAE's convolutions in bf16 (0.34 GB less), converted per layer as it runs.
    private static OobleckVae LoadVae(string directory, WeightLoadOptions options, MemoryMode mode)
    {
        var vae = OobleckVae.FromDirectory(directory, options);
        if (mode == MemoryMode.Compact && vae.parameters().First().dtype == TorchSharp.torch.ScalarType.Float32)
            vae.HoldConvolutionsIn(TorchSharp.torch.ScalarType.BFloat16);
        return vae;
    }

    /// <summary>The VAE's windows: smaller in the compact memory mode (its activations would otherwise be the peak).</summary>
    public OobleckTiling VaeTiling => Mode == MemoryMode.Compact ? OobleckTiling.SmallMemory : OobleckTiling.Default;

    /// <summary>How the weights are held and multiplied; null = plain fp32 everywhere.</summary>
    public ComputePlan? Compute { get; }

    /// <summary>The checkpoint directories.</summary>
    public ModelPaths Paths { get; }

    /// <summary>The memory mode.</summary>
    public MemoryMode Mode { get; }

    /// <summary>The Qwen tokenizer of the text encoder.</summary>
    public QwenTokenizer Tokenizer => _tokenizer.Value.Tokenizer;

    /// <summary>The Qwen3-Embedding text encoder.</summary>
    public Qwen3TextModel TextEncoder => _text.Value;

    /// <summary>The DiT checkpoint.</summary>
    public AceStepConditionGenerationModel Dit => _dit.Value;

    /// <summary>The VAE.</summary>
    public OobleckVae Vae => _vae.Value;

    /// <summary>Silence latents [1, 15000, 64].</summary>
    public Tensor SilenceLatent => _silence.Value;

    /// <summary>True when the set has a planner LM (<see cref="ModelPaths.Lm"/>).</summary>
    public bool HasPlanner => _planner is not null;

    /// <summary>The planner over the LM, loaded on first use.</summary>
    /// <exception cref="InvalidOperationException">The set has no planner LM.</exception>
    public LmPlanner Planner => (_planner ?? throw new InvalidOperationException("No planner LM is configured for these models.")).Value.Planner;

    /// <summary>Which models are loaded now (for status and tests).</summary>
    public (bool Text, bool Dit, bool Vae) Loaded => (_text.IsLoaded, _dit.IsLoaded, _vae.IsLoaded);

    /// <summary>True while the planner LM is loaded.</summary>
    public bool PlannerLoaded => _planner?.IsLoaded ?? false;

    /// <summary>Sequential mode: drop the planner LM once the job's codes are written.</summary>
    public void PlanningDone()
    {
        if (Mode == MemoryMode.Sequential)
            _planner?.Unload();
    }

    /// <summary>Sequential mode: drop the text encoder once the prompts are encoded.</summary>
    public void TextEncodingDone()
    {
        if (Mode == MemoryMode.Sequential)
            _text.Unload();
    }

    /// <summary>Sequential mode: drop the DiT once sampling is done, before decoding.</summary>
    public void SamplingDone()
    {
        if (Mode == MemoryMode.Sequential)
            _dit.Unload();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _text.Dispose();
        _dit.Dispose();
        _vae.Dispose();
        _silence.Dispose();
        _tokenizer.Dispose();
        _planner?.Dispose();
    }

    // The LM, its own tokenizer (the text encoder's has no audio-code tokens) and the planner's masks, loaded and dropped
    // together.
    private sealed class LoadedPlanner(Qwen3CausalLm model, LmPlanner planner) : IDisposable
    {
        public LmPlanner Planner { get; } = planner;

        public static LoadedPlanner Load(string directory, WeightLoadOptions options, PlannerSettings settings)
        {
            var model = Qwen3CausalLm.Load(directory, options);
            try
            {
                var values = new MetadataGrammarValues { Languages = AceStep.Contracts.Tasks.VocalLanguages.All, MaxCaptionTokens = settings.MaxCaptionTokens };
                return new LoadedPlanner(model, new LmPlanner(model, QwenTokenizer.Load(directory), settings.Sampling, values));
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Planner.Dispose();
            model.Dispose();
        }
    }

    // LoadOnFirstUse holds disposables; the tokenizer is plain managed memory.
    private sealed class QwenTokenizerHolder(QwenTokenizer tokenizer) : IDisposable
    {
        public QwenTokenizer Tokenizer { get; } = tokenizer;

        public void Dispose()
        {
        }
    }
}
