using AceStep.Engine.Model.Dit;
using AceStep.Engine.Model.Modules;

namespace AceStep.Engine.Model.Config;

/// <summary>
/// The DiT checkpoint's <c>config.json</c> (model_type <c>acestep</c>, spec §3.2). Defaults are the shipped 2B values, so
/// a config that omits a key behaves like upstream's constructor defaults; tests build reduced widths and depths with
/// the same keys.
/// </summary>
public sealed record AceStepConfig
{
    /// <summary>Width of the decoder and every encoder stack (<c>hidden_size</c>, 2048).</summary>
    public long Hidden { get; init; } = 2048;

    /// <summary>MLP inner width (<c>intermediate_size</c>, 6144).</summary>
    public long Intermediate { get; init; } = 6144;

    /// <summary>DiT layers (<c>num_hidden_layers</c>, 24).</summary>
    public int DecoderLayers { get; init; } = 24;

    /// <summary>Query heads (16).</summary>
    public long Heads { get; init; } = 16;

    /// <summary>Key/value heads (8).</summary>
    public long KvHeads { get; init; } = 8;

    /// <summary>Per-head size (128).</summary>
    public int HeadDim { get; init; } = 128;

    /// <summary>RMSNorm epsilon (1e-6).</summary>
    public double Eps { get; init; } = 1e-6;

    /// <summary>RoPE base (1e6).</summary>
    public double RopeTheta { get; init; } = 1_000_000.0;

    /// <summary>Patch size of the DiT (2).</summary>
    public long PatchSize { get; init; } = 2;

    /// <summary>VAE latent channels (<c>audio_acoustic_hidden_dim</c>, 64).</summary>
    public long LatentChannels { get; init; } = 64;

    /// <summary>Timbre input channels (<c>timbre_hidden_dim</c>, 64).</summary>
    public long TimbreChannels { get; init; } = 64;

    /// <summary>Width of the Qwen3 text encoder output (<c>text_hidden_dim</c>, 1024).</summary>
    public long TextHidden { get; init; } = 1024;

    /// <summary>Reference frames the timbre encoder takes (<c>timbre_fix_frame</c>, 750 = 30 s).</summary>
    public int TimbreFrames { get; init; } = 750;

    /// <summary>Lyric encoder depth (8).</summary>
    public int LyricLayers { get; init; } = 8;

    /// <summary>Timbre encoder depth (4).</summary>
    public int TimbreLayers { get; init; } = 4;

    /// <summary>Attention pooler and detokenizer depth (<c>num_attention_pooler_hidden_layers</c>, 2).</summary>
    public int PoolerLayers { get; init; } = 2;

    /// <summary>25 Hz frames per 5 Hz code (<c>pool_window_size</c>, 5).</summary>
    public int PoolWindow { get; init; } = 5;

    /// <summary>FSQ levels (<c>fsq_input_levels</c>, [8, 8, 8, 5, 5, 5]).</summary>
    public IReadOnlyList<int> FsqLevels { get; init; } = [8, 8, 8, 5, 5, 5];

    /// <summary>True for the CFG-distilled turbo checkpoints (<c>is_turbo</c>): guidance is forced off.</summary>
    public bool IsTurbo { get; init; }

    /// <summary>Upstream's <c>model_version</c> string when present ("turbo", "base", …).</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The sizes every encoder stack shares.</summary>
    public EncoderStackSizes StackSizes => new(Hidden, Intermediate, Heads, KvHeads, HeadDim, RopeTheta, Eps);

    /// <summary>The decoder's sizes.</summary>
    public DitDecoderOptions DecoderOptions => new()
    {
        Hidden = Hidden,
        Intermediate = Intermediate,
        Layers = DecoderLayers,
        Heads = Heads,
        KvHeads = KvHeads,
        HeadDim = HeadDim,
        LatentChannels = LatentChannels,
        ContextChannels = 2 * LatentChannels,
        PatchSize = PatchSize,
        RopeTheta = RopeTheta,
        Eps = Eps,
    };

    /// <summary>Reads <c>config.json</c>.</summary>
    /// <exception cref="ModelConfigException">The file is missing or malformed, or it describes a layout this engine
    /// does not run (other sliding window, layer-type pattern, channel count, number of quantizers).</exception>
    public static AceStepConfig Load(string configPath)
    {
        var json = ConfigJson.Read(configPath);
        var config = new AceStepConfig
        {
            Hidden = json.Long("hidden_size", 2048),
            Intermediate = json.Long("intermediate_size", 6144),
            DecoderLayers = json.Int("num_hidden_layers", 24),
            Heads = json.Long("num_attention_heads", 16),
            KvHeads = json.Long("num_key_value_heads", 8),
            HeadDim = json.Int("head_dim", 128),
            Eps = json.Double("rms_norm_eps", 1e-6),
            RopeTheta = json.Double("rope_theta", 1_000_000.0),
            PatchSize = json.Long("patch_size", 2),
            LatentChannels = json.Long("audio_acoustic_hidden_dim", 64),
            TimbreChannels = json.Long("timbre_hidden_dim", 64),
            TextHidden = json.Long("text_hidden_dim", 1024),
            TimbreFrames = json.Int("timbre_fix_frame", 750),
            LyricLayers = json.Int("num_lyric_encoder_hidden_layers", 8),
            TimbreLayers = json.Int("num_timbre_encoder_hidden_layers", 4),
            PoolerLayers = json.Int("num_attention_pooler_hidden_layers", 2),
            PoolWindow = json.Int("pool_window_size", 5),
            FsqLevels = json.LongArray("fsq_input_levels")?.Select(l => checked((int)l)).ToArray() ?? [8, 8, 8, 5, 5, 5],
            IsTurbo = json.Bool("is_turbo", false),
            ModelVersion = json.String("model_version"),
        };

        var decoderLayers = json.Int("num_audio_decoder_hidden_layers", config.DecoderLayers);
        if (decoderLayers != config.DecoderLayers)
            throw json.Unsupported("num_audio_decoder_hidden_layers", $"is {decoderLayers} but num_hidden_layers is {config.DecoderLayers}");
        if (json.Long("in_channels", 3 * config.LatentChannels) != 3 * config.LatentChannels)
            throw json.Unsupported("in_channels", $"is not 3 × audio_acoustic_hidden_dim ({3 * config.LatentChannels})");
        if (json.Long("sliding_window", LayerTypes.SlidingWindow) != LayerTypes.SlidingWindow)
            throw json.Unsupported("sliding_window", $"is not {LayerTypes.SlidingWindow}");
        if (json.Bool("use_sliding_window", true) is false)
            throw json.Unsupported("use_sliding_window", "is false");
        if (json.Long("fsq_input_num_quantizers", 1) != 1)
            throw json.Unsupported("fsq_input_num_quantizers", "is not 1");
        if (json.StringArray("layer_types") is { } types)
        {
            for (var i = 0; i < types.Count; i++)
            {
                var expected = LayerTypes.IsSliding(i) ? "sliding_attention" : "full_attention";
                if (!string.Equals(types[i], expected, StringComparison.Ordinal))
                    throw json.Unsupported($"layer_types[{i}]", $"is '{types[i]}', expected '{expected}' (even layers slide)");
            }
        }

        return config;
    }
}
