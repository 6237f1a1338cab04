using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// The encoder (diffusers <c>OobleckEncoder</c>, spec §6.2): conv1 (audio → hidden, kernel 7, padding 3) → one
/// <see cref="OobleckEncoderBlock"/> per downsampling ratio, widths hidden·[1, m…] → snake1 → conv2 (hidden·m_last →
/// hidden, kernel 3, padding 1). For ACE-Step: 2 → 128 → 128 → 256 → 512 → 1024 → 2048 → 128 channels, strides
/// [2, 4, 4, 6, 10]. Parameters under <c>encoder.</c>: <c>conv1.*</c>, <c>block.{i}.*</c>, <c>snake1.*</c>, <c>conv2.*</c>.
/// </summary>
public sealed class OobleckEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d _conv1;
    private readonly OobleckEncoderBlock[] _blocks;
    private readonly Snake1d _snake1;
    private readonly Conv1d _conv2;

    /// <summary>Creates the encoder for <paramref name="config"/> with TorchSharp's default (seeded) initialisation.</summary>
    public OobleckEncoder(OobleckVaeConfig config) : base(nameof(OobleckEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var hidden = config.EncoderHiddenSize;
        int[] multiples = [1, .. config.ChannelMultiples];
        _conv1 = nn.Conv1d(config.AudioChannels, hidden, 7, padding: 3);
        _blocks = config.DownsamplingRatios
            .Select((stride, i) => new OobleckEncoderBlock(hidden * multiples[i], hidden * multiples[i + 1], stride))
            .ToArray();
        _snake1 = new Snake1d(hidden * multiples[^1]);
        _conv2 = nn.Conv1d(hidden * multiples[^1], hidden, 3, padding: 1);
        register_module("conv1", _conv1);
        register_module("block", new ModuleList<OobleckEncoderBlock>(_blocks));
        register_module("snake1", _snake1);
        register_module("conv2", _conv2);
    }

    /// <summary>Encodes audio [B, A, S] → [B, hidden, ⌊S / hop⌋]: the posterior's mean and scale halves, concatenated.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var h = nn.functional.conv1d(input, StoredWeight.As(_conv1.weight, input)!, StoredWeight.As(_conv1.bias, input), padding: 3);   // [B, hidden, S]
        foreach (var block in _blocks)
        {
            h = block.Consume(h);                                       // [B, hidden·m_{i+1}, S / (s_0…s_i)]
            scope.DisposeEverythingBut(h);                              // free the previous block's output now
        }

        _snake1.Apply(h, h);
        return nn.functional.conv1d(h, StoredWeight.As(_conv2.weight, h)!, StoredWeight.As(_conv2.bias, h), padding: 1).MoveToOuterDisposeScope();   // [B, hidden, S / hop]
    }
}
