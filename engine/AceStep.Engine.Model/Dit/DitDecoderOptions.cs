using AceStep.Engine.Model.Modules;

namespace AceStep.Engine.Model.Dit;

/// <summary>Sizes of the DiT decoder (spec §3.2, §4.5); the defaults are the shipped 2B configuration.</summary>
public sealed record DitDecoderOptions
{
    /// <summary>Model width (2048).</summary>
    public long Hidden { get; init; } = 2048;

    /// <summary>MLP inner width (6144).</summary>
    public long Intermediate { get; init; } = 6144;

    /// <summary>Number of DiT layers (24).</summary>
    public int Layers { get; init; } = 24;

    /// <summary>Query heads (16).</summary>
    public long Heads { get; init; } = 16;

    /// <summary>Key/value heads (8).</summary>
    public long KvHeads { get; init; } = 8;

    /// <summary>Per-head size (128).</summary>
    public int HeadDim { get; init; } = 128;

    /// <summary>Latent channels of x_t and of the output velocity (64).</summary>
    public long LatentChannels { get; init; } = 64;

    /// <summary>Context channels concatenated before x_t: source latents then chunk mask (128).</summary>
    public long ContextChannels { get; init; } = 128;

    /// <summary>Frames per patch token (2).</summary>
    public long PatchSize { get; init; } = 2;

    /// <summary>Sinusoid size of the timestep embedders (256).</summary>
    public long TimestepChannels { get; init; } = 256;

    /// <summary>RoPE frequency base (1e6).</summary>
    public double RopeTheta { get; init; } = 1_000_000.0;

    /// <summary>Half-width of the band on sliding layers, in patch tokens (128).</summary>
    public long SlidingWindow { get; init; } = LayerTypes.SlidingWindow;

    /// <summary>RMSNorm epsilon (1e-6).</summary>
    public double Eps { get; init; } = 1e-6;
}
