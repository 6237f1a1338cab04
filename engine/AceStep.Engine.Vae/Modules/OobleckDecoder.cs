using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// The decoder (diffusers <c>OobleckDecoder</c>, spec §6.3): conv1 (latent → channels·m_last, kernel 7, padding 3)
/// → one <see cref="OobleckDecoderBlock"/> per upsampling ratio (the downsampling ratios reversed), widths
/// channels·[m_last … 1] → snake1 → conv2 (channels → audio, kernel 7, padding 3, no bias). For ACE-Step:
/// 64 → 2048 → 1024 → 512 → 256 → 128 → 128 → 2 channels, strides [10, 6, 4, 4, 2]. Parameters under
/// <c>decoder.</c>: <c>conv1.*</c>, <c>block.{i}.*</c>, <c>snake1.*</c>, <c>conv2.weight</c>.
/// </summary>
public sealed class OobleckDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d _conv1;
    private readonly OobleckDecoderBlock[] _blocks;
    private readonly Snake1d _snake1;
    private readonly Conv1d _conv2;

    /// <summary>Creates the decoder for <paramref name="config"/> with TorchSharp's default (seeded) initialisation.</summary>
    public OobleckDecoder(OobleckVaeConfig config) : base(nameof(OobleckDecoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var channels = config.DecoderChannels;
        int[] multiples = [1, .. config.ChannelMultiples];
        var n = config.DownsamplingRatios.Count;
        _conv1 = nn.Conv1d(config.DecoderInputChannels, channels * multiples[^1], 7, padding: 3);
        _blocks = config.UpsamplingRatios
            .Select((stride, i) => new OobleckDecoderBlock(channels * multiples[n - i], channels * multiples[n - i - 1], stride))
            .ToArray();
        _snake1 = new Snake1d(channels);
        _conv2 = nn.Conv1d(channels, config.AudioChannels, 7, padding: 3, bias: false);
        register_module("conv1", _conv1);
        register_module("block", new ModuleList<OobleckDecoderBlock>(_blocks));
        register_module("snake1", _snake1);
        register_module("conv2", _conv2);
    }

    /// <summary>Decodes latents [B, latent, T] → audio [B, A, hop · T].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var h = nn.functional.conv1d(input, StoredWeight.As(_conv1.weight, input)!, StoredWeight.As(_conv1.bias, input), padding: 3);   // [B, channels·m_last, T]
        foreach (var block in _blocks)
        {
            h = block.Consume(h);                                       // [B, channels·m_{n-i-1}, T·s_0…s_i]
            scope.DisposeEverythingBut(h);                              // free the previous block's output now
        }

        _snake1.Apply(h, h);
        return nn.functional.conv1d(h, StoredWeight.As(_conv2.weight, h)!, padding: 3).MoveToOuterDisposeScope();   // [B, A, hop·T]
    }
}
