using AceStep.Engine.Model.Weights;
using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae;

/// <summary>
/// ACE-Step's Oobleck VAE (diffusers <c>AutoencoderOobleck</c>, spec §6): <see cref="Encode"/> audio [B, 2, S] at
/// 48 kHz → latents [B, 64, ⌊S/1920⌋] at 25 Hz, <see cref="Decode"/> latents [B, 64, T] → audio [B, 2, 1920·T].
/// Parameter names equal the checkpoint's (<c>encoder.*</c>, <c>decoder.*</c>) with weight norm folded: each conv has
/// a plain <c>weight</c> where <c>vae/diffusion_pytorch_model.safetensors</c> stores <c>weight_g</c> and
/// <c>weight_v</c>. Inference runs without autograd; tensors are freed by dispose scopes as each block finishes.
/// </summary>
public sealed class OobleckVae : nn.Module
{
    /// <summary>The weights file inside the <c>vae/</c> directory.</summary>
    public const string WeightsFileName = "diffusion_pytorch_model.safetensors";

    /// <summary>The configuration file inside the <c>vae/</c> directory.</summary>
    public const string ConfigFileName = "config.json";

    private readonly OobleckEncoder _encoder;
    private readonly OobleckDecoder _decoder;

    /// <summary>Creates the VAE for <paramref name="config"/> with TorchSharp's default (seeded) initialisation, fp32 on the CPU.</summary>
    /// <param name="config">Sizes; null means the shipped ACE-Step VAE.</param>
    public OobleckVae(OobleckVaeConfig? config = null) : base(nameof(OobleckVae))
    {
        Config = config ?? OobleckVaeConfig.AceStep;
        Config.Validate();
        _encoder = new OobleckEncoder(Config);
        _decoder = new OobleckDecoder(Config);
        register_module("encoder", _encoder);
        register_module("decoder", _decoder);
        // Inference only: no parameter needs a gradient, and none is ever tracked.
        foreach (var parameter in parameters())
            parameter.requires_grad = false;
        eval();
    }

    /// <summary>
    /// Holds every convolution's weight and bias in <paramref name="dtype"/> (bf16 in the compact memory mode: half the
    /// VAE's 0.67 GB), while it still computes in its input's dtype: each layer converts its own weight when it runs, a
    /// temporary of one layer's size. Snake parameters stay as they are. Call once, after loading.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point type.</exception>
    public void HoldConvolutionsIn(ScalarType dtype)
    {
        if (dtype is not (ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Convolutions can only be held in a floating-point type, not {dtype}.", nameof(dtype));
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            if (module is not TorchSharp.Modules.Convolution conv)
                continue;
            var (weight, bias) = (conv.weight, conv.bias);
            if (weight is not null && weight.dtype != dtype)
            {
                conv.weight = new TorchSharp.Modules.Parameter(weight.to_type(dtype), requires_grad: false);
                weight.Dispose();
            }

            if (bias is not null && bias.dtype != dtype)
            {
                conv.bias = new TorchSharp.Modules.Parameter(bias.to_type(dtype), requires_grad: false);
                bias.Dispose();
            }
        }
    }

    /// <summary>The sizes this VAE was built with.</summary>
    public OobleckVaeConfig Config { get; }

    /// <summary>The encoder module.</summary>
    public OobleckEncoder Encoder => _encoder;

    /// <summary>The decoder module.</summary>
    public OobleckDecoder Decoder => _decoder;

    /// <summary>
    /// Builds the VAE from a <c>vae/</c> directory (<c>config.json</c> + <c>diffusion_pytorch_model.safetensors</c>)
    /// and loads its weights strictly; see <see cref="LoadWeights"/>.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">A tensor is missing or has the wrong shape.</exception>
    /// <exception cref="InvalidDataException">The configuration is missing a key or inconsistent.</exception>
    public static OobleckVae FromDirectory(string directory, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var config = OobleckVaeConfig.Load(Path.Combine(directory, ConfigFileName));
        using var checkpoint = CheckpointIndex.Open(Path.Combine(directory, WeightsFileName));
        var vae = new OobleckVae(config);
        try
        {
            vae.LoadWeights(checkpoint, options);
            return vae;
        }
        catch
        {
            vae.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tensor map of this VAE against a checkpoint in <paramref name="layout"/>: each conv weight expects its
    /// <c>weight_g</c> [d0, 1, 1] and <c>weight_v</c> (the weight's shape) under the checkpoint's names, every other
    /// parameter (biases, Snake α/β) its own name. Parameter names of the g/v entries are the checkpoint names.
    /// </summary>
    public TensorMap CheckpointMap(WeightNormLayout layout = WeightNormLayout.WeightGV)
    {
        var entries = new List<ExpectedTensor>();
        foreach (var (name, parameter) in named_parameters())
        {
            if (IsConvWeight(name, parameter))
            {
                var (g, v) = WeightNorm.CheckpointNames(name, layout);
                entries.Add(new ExpectedTensor(g, g, [parameter.shape[0], 1, 1]));
                entries.Add(new ExpectedTensor(v, v, parameter.shape));
            }
            else
            {
                entries.Add(new ExpectedTensor(name, name, parameter.shape));
            }
        }

        return new TensorMap(entries);
    }

    /// <summary>
    /// Loads every parameter strictly from <paramref name="checkpoint"/>: the map is resolved first through
    /// <see cref="WeightLoader.Resolve"/>, so one missing or mis-shaped tensor fails the load before anything is
    /// copied, with a <see cref="CheckpointMismatchException"/> naming each and its file. The weight-norm layout is
    /// detected (<see cref="WeightNorm.Detect"/>); each conv weight is folded in fp32 from g and v, then copied in the
    /// module's dtype. Dtype and device come from <paramref name="options"/> (the runtime policy: fp32 on CPU).
    /// </summary>
    /// <exception cref="CheckpointMismatchException">A tensor is missing or has the wrong shape (or is unexpected, when rejected).</exception>
    public WeightLoadReport LoadWeights(CheckpointIndex checkpoint, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        options ??= new WeightLoadOptions();
        var layout = WeightNorm.Detect(checkpoint);
        var report = WeightLoader.Resolve(checkpoint, CheckpointMap(layout), options);
        var sources = report.Loaded.ToDictionary(l => l.Expected.CheckpointName, l => l.Source, StringComparer.Ordinal);

        if (options.DType is { } dtype)
            this.to(dtype);
        if (options.Device is { } device)
            this.to(device);

        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            using var scope = NewDisposeScope();
            Tensor value;
            if (IsConvWeight(name, parameter))
            {
                var (g, v) = WeightNorm.CheckpointNames(name, layout);
                value = WeightNorm.Fold(Read(sources[g]), Read(sources[v]));
            }
            else
            {
                value = Read(sources[name]);
            }

            parameter.copy_(value);
        }

        return report;

        static Tensor Read(CheckpointTensor source) => source.File.ReadTensor(source.Info.Name);
    }

    /// <summary>
    /// Encodes audio [B, A, S] (S ≥ hop) to the posterior mean [B, latent, ⌊S / hop⌋] — deterministic latents; see
    /// <see cref="OobleckPosterior"/> for why the mean and how to sample instead.
    /// </summary>
    /// <param name="audio">Audio in [-1, 1]; converted to the VAE's dtype and device if needed.</param>
    /// <param name="tiling">Tiling; null means <see cref="OobleckTiling.Default"/> (30 s windows, 2 s overlap).</param>
    public Tensor Encode(Tensor audio, OobleckTiling? tiling = null)
    {
        using var posterior = EncodePosterior(audio, tiling);
        return posterior.Mean.clone();
    }

    /// <summary>Encodes audio [B, A, S] (S ≥ hop) to the full posterior [B, 2·latent, ⌊S / hop⌋] (the caller disposes it).</summary>
    /// <param name="audio">Audio in [-1, 1]; converted to the VAE's dtype and device if needed.</param>
    /// <param name="tiling">Tiling; null means <see cref="OobleckTiling.Default"/>.</param>
    public OobleckPosterior EncodePosterior(Tensor audio, OobleckTiling? tiling = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.dim() != 3 || audio.shape[1] != Config.AudioChannels || audio.shape[2] < Config.HopLength)
        {
            throw new ArgumentException(
                $"Audio must be [B, {Config.AudioChannels}, S] with S ≥ {Config.HopLength}, not [{string.Join(", ", audio.shape)}].", nameof(audio));
        }

        tiling ??= OobleckTiling.Default;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = ToModel(audio);
        var h = tiling.Enabled ? EncodeTiled(x, tiling) : _encoder.forward(x);           // [B, 2·latent, T]
        return new OobleckPosterior(h.MoveToOuterDisposeScope());
    }

    /// <summary>Decodes latents [B, latent, T] to audio [B, A, hop · T], in the VAE's dtype (fp32 on CPU).</summary>
    /// <param name="latents">Latents; converted to the VAE's dtype and device if needed.</param>
    /// <param name="tiling">Tiling; null means <see cref="OobleckTiling.Default"/> (512-frame windows, 64 overlap).</param>
    public Tensor Decode(Tensor latents, OobleckTiling? tiling = null)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.dim() != 3 || latents.shape[1] != Config.LatentChannels || latents.shape[2] < 1)
        {
            throw new ArgumentException(
                $"Latents must be [B, {Config.LatentChannels}, T] with T ≥ 1, not [{string.Join(", ", latents.shape)}].", nameof(latents));
        }

        tiling ??= OobleckTiling.Default;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var z = ToModel(latents);
        var audio = tiling.Enabled ? DecodeTiled(z, tiling) : _decoder.forward(z);       // [B, A, hop·T]
        return audio.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Spec §6.4: if T ≤ chunk decode directly; else for i = 0 … ⌈T/stride⌉−1 the core [i·stride, min(T, i·stride +
    /// stride)) is decoded inside the window [core − overlap, core + overlap) ∩ [0, T) and the window's extra frames
    /// (× hop samples, exact because every block upsamples exactly) are dropped.
    /// </summary>
    private Tensor DecodeTiled(Tensor z, OobleckTiling tiling)
    {
        var frames = z.shape[2];
        var stride = tiling.DecodeStrideFrames();
        if (frames <= tiling.DecodeChunkFrames)
            return _decoder.forward(z);

        var hop = Config.HopLength;
        var overlap = tiling.DecodeOverlapFrames;
        var cores = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (long coreStart = 0; coreStart < frames; coreStart += stride)
        {
            var coreEnd = Math.Min(coreStart + stride, frames);
            var windowStart = Math.Max(0, coreStart - overlap);
            var windowEnd = Math.Min(frames, coreEnd + overlap);
            using var tileScope = NewDisposeScope();
            var tile = _decoder.forward(z.narrow(2, windowStart, windowEnd - windowStart));       // [B, A, hop·window]
            var core = tile.narrow(2, (coreStart - windowStart) * hop, (coreEnd - coreStart) * hop).contiguous();
            cores.Add(core.MoveToOuterDisposeScope());                                         // [B, A, hop·core]
        }

        return cat(cores, 2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Spec §6.5: windows of chunk samples, overlap on each side, the same overlap-discard in latent frames. Each
    /// window starts on the hop grid (checked by <see cref="OobleckTiling"/>), so its frames are the untiled frames.
    /// Where upstream trims round(context / hop) frames at the end, this keeps exactly the core's frames (all the
    /// rest for the last window): the two agree except when the last-but-one window is cut by the end of audio whose
    /// length is not a multiple of the hop, where upstream's rounding loses a frame.
    /// </summary>
    private Tensor EncodeTiled(Tensor x, OobleckTiling tiling)
    {
        var samples = x.shape[2];
        var (chunk, overlap, stride) = tiling.EncodeSamples(Config);
        if (samples <= chunk)
            return _encoder.forward(x);

        var hop = Config.HopLength;
        var cores = new List<Tensor>();
        using var scope = NewDisposeScope();
        for (long coreStart = 0; coreStart < samples; coreStart += stride)
        {
            var coreEnd = Math.Min(coreStart + stride, samples);
            var windowStart = Math.Max(0, coreStart - overlap);
            var windowEnd = Math.Min(samples, coreEnd + overlap);
            var front = (coreStart - windowStart) / hop;
            var keep = coreEnd == samples ? (windowEnd - windowStart) / hop - front : (coreEnd - coreStart) / hop;
            if (keep <= 0)
                continue;   // a tail shorter than one hop: the untiled encoder makes no frame of it either
            using var tileScope = NewDisposeScope();
            var tile = _encoder.forward(x.narrow(2, windowStart, windowEnd - windowStart));      // [B, 2·latent, window/hop]
            cores.Add(tile.narrow(2, front, keep).contiguous().MoveToOuterDisposeScope());
        }

        return cat(cores, 2).MoveToOuterDisposeScope();
    }

    private Tensor ToModel(Tensor input)
    {
        // A Snake parameter: it is in the compute dtype even when the convolutions are held otherwise (HoldConvolutionsIn).
        var reference = _decoder.named_parameters().First(p => p.name.EndsWith(".alpha", StringComparison.Ordinal)).parameter;
        // The caller's tensor when it already fits: it belongs to an outer scope, so no scope here disposes it.
        return input.dtype == reference.dtype && input.device == reference.device
            ? input
            : input.to(reference.dtype, reference.device);
    }

    private static bool IsConvWeight(string name, Tensor parameter) =>
        name.EndsWith(".weight", StringComparison.Ordinal) && parameter.dim() == 3;
}
