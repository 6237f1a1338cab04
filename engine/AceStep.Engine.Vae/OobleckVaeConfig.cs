using System.Text.Json;
using AceStep.Engine.Vae.Modules;

namespace AceStep.Engine.Vae;

/// <summary>
/// The sizes of an Oobleck VAE, as in <c>vae/config.json</c> (spec §3.3), and the geometry that follows from them by
/// arithmetic alone: hop length, latent frame rate, the checkpoint's tensor inventory, parameter count, FLOPs and the
/// receptive field. Nothing here allocates a tensor, so the real 168 M-parameter geometry can be checked and costed
/// cheaply; tests build tiny VAEs with the same layout by shrinking the widths.
/// </summary>
public sealed record OobleckVaeConfig
{
    /// <summary>Audio channels (<c>audio_channels</c>; 2 = stereo).</summary>
    public int AudioChannels { get; init; } = 2;

    /// <summary>Width multiples per encoder block output (<c>channel_multiples</c>, [1, 2, 4, 8, 16]).</summary>
    public IReadOnlyList<int> ChannelMultiples { get; init; } = [1, 2, 4, 8, 16];

    /// <summary>Decoder base width (<c>decoder_channels</c>, 128).</summary>
    public int DecoderChannels { get; init; } = 128;

    /// <summary>Latent channels the decoder takes (<c>decoder_input_channels</c>, 64).</summary>
    public int DecoderInputChannels { get; init; } = 64;

    /// <summary>Encoder strides in order (<c>downsampling_ratios</c>, [2, 4, 4, 6, 10]); the decoder uses them reversed.</summary>
    public IReadOnlyList<int> DownsamplingRatios { get; init; } = [2, 4, 4, 6, 10];

    /// <summary>Encoder base width (<c>encoder_hidden_size</c>, 128); the encoder emits this many channels = mean | scale.</summary>
    public int EncoderHiddenSize { get; init; } = 128;

    /// <summary>Audio sample rate in Hz (<c>sampling_rate</c>, 48 000).</summary>
    public int SamplingRate { get; init; } = 48_000;

    /// <summary>The shipped ACE-Step v1.5 VAE (spec §3.3).</summary>
    public static OobleckVaeConfig AceStep { get; } = new();

    /// <summary>Audio samples per latent frame: the product of the strides (1920 for ACE-Step).</summary>
    public int HopLength => DownsamplingRatios.Aggregate(1, (a, b) => a * b);

    /// <summary>Latent frames per second of audio (25 for ACE-Step).</summary>
    public double LatentFrameRate => (double)SamplingRate / HopLength;

    /// <summary>Latent channels: the decoder's input width, also half the encoder's output (64).</summary>
    public int LatentChannels => DecoderInputChannels;

    /// <summary>Decoder strides in order: the downsampling ratios reversed ([10, 6, 4, 4, 2]).</summary>
    public IReadOnlyList<int> UpsamplingRatios => DownsamplingRatios.Reverse().ToArray();

    /// <summary>Reads <c>config.json</c>; every layout key must be present (diffusers' defaults are the Stable Audio geometry, not this one).</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, a key is missing or has the wrong type, or the sizes are inconsistent.</exception>
    public static OobleckVaeConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the JSON text of <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not JSON, a key missing or mistyped, or inconsistent sizes.</exception>
    public static OobleckVaeConfig Parse(string json, string source = "config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            int Int(string key) => Get(key).GetInt32();
            int[] Ints(string key) => Get(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            JsonElement Get(string key) => root.TryGetProperty(key, out var value)
                ? value
                : throw new InvalidDataException($"VAE config {source} lacks '{key}'.");

            var config = new OobleckVaeConfig
            {
                AudioChannels = Int("audio_channels"),
                ChannelMultiples = Ints("channel_multiples"),
                DecoderChannels = Int("decoder_channels"),
                DecoderInputChannels = Int("decoder_input_channels"),
                DownsamplingRatios = Ints("downsampling_ratios"),
                EncoderHiddenSize = Int("encoder_hidden_size"),
                SamplingRate = Int("sampling_rate"),
            };
            config.Validate(source);
            return config;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"VAE config {source} is not valid: {e.Message}", e);
        }
    }

    /// <summary>Checks that the sizes describe a VAE whose encoder and decoder compose.</summary>
    /// <exception cref="InvalidDataException">A size is not positive, the lists differ in length, a stride is odd,
    /// or the encoder's mean half is not the decoder's input width.</exception>
    public void Validate(string source = "VAE config")
    {
        void Require(bool ok, string what)
        {
            if (!ok)
                throw new InvalidDataException($"{source}: {what}");
        }

        Require(AudioChannels > 0 && DecoderChannels > 0 && DecoderInputChannels > 0 && EncoderHiddenSize > 0 && SamplingRate > 0,
            "every width and the sample rate must be positive.");
        Require(DownsamplingRatios.Count > 0 && DownsamplingRatios.Count == ChannelMultiples.Count,
            $"channel_multiples ({ChannelMultiples.Count}) must have one entry per downsampling ratio ({DownsamplingRatios.Count}).");
        Require(ChannelMultiples.All(m => m > 0), "channel_multiples must be positive.");
        // With kernel 2s and padding ceil(s/2), an odd stride loses one sample per block, which breaks the exact
        // hop-length relation the tiling and the 1920·T output length rely on.
        Require(DownsamplingRatios.All(s => s > 0 && s % 2 == 0), "every downsampling ratio must be even.");
        Require(EncoderHiddenSize == 2 * DecoderInputChannels,
            $"encoder_hidden_size ({EncoderHiddenSize}) must be twice decoder_input_channels ({DecoderInputChannels}): " +
            "the encoder emits mean and scale halves.");
    }

    /// <summary>
    /// The checkpoint's tensors (names and shapes) as <c>diffusion_pytorch_model.safetensors</c> stores them with
    /// weight norm in <paramref name="layout"/>, derived from the sizes alone (spec §6.3 names).
    /// </summary>
    public IReadOnlyList<(string Name, long[] Shape)> CheckpointTensors(WeightNormLayout layout = WeightNormLayout.WeightGV)
    {
        var tensors = new List<(string, long[])>();
        foreach (var layer in Layers())
        {
            if (layer.Kind == LayerKind.Snake)
            {
                tensors.Add((layer.Name + ".alpha", [1, layer.In, 1]));
                tensors.Add((layer.Name + ".beta", [1, layer.In, 1]));
                continue;
            }

            // Conv1d weights are [out, in, k]; ConvTranspose1d weights [in, out, k]. weight_norm(dim=0) keeps dim 0.
            long[] weight = layer.Kind == LayerKind.ConvTranspose ? [layer.In, layer.Out, layer.Kernel] : [layer.Out, layer.In, layer.Kernel];
            var (g, v) = WeightNorm.CheckpointNames(layer.Name + ".weight", layout);
            tensors.Add((g, [weight[0], 1, 1]));
            tensors.Add((v, weight));
            if (layer.Bias)
                tensors.Add((layer.Name + ".bias", [layer.Out]));
        }

        return tensors;
    }

    /// <summary>Parameters of the model (weight norm folded: one weight per conv), from the sizes alone.</summary>
    public long ParameterCount => Layers().Sum(l => l.Kind == LayerKind.Snake
        ? 2L * l.In
        : (long)l.In * l.Out * l.Kernel + (l.Bias ? l.Out : 0));

    /// <summary>Tensor elements stored in the checkpoint: <see cref="ParameterCount"/> plus one weight_g value per conv output row.</summary>
    public long CheckpointElementCount => CheckpointTensors().Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Floating-point operations (2 per multiply-add, convolutions only) of the encoder per latent frame produced.</summary>
    public double EncoderFlopsPerFrame => Flops(encoder: true);

    /// <summary>Floating-point operations (2 per multiply-add, convolutions only) of the decoder per latent frame consumed.</summary>
    public double DecoderFlopsPerFrame => Flops(encoder: false);

    /// <summary>
    /// A conservative one-sided receptive field of the decoder in latent frames: an output sample at time τ depends
    /// on no latent frame further than this from τ. Tiled decode is exact (up to float rounding) when its overlap is
    /// at least this (9 for ACE-Step; the spec's overlap is 64).
    /// </summary>
    public int DecoderReachFrames => (int)Math.Ceiling(Reach(encoder: false) - 1e-9);

    /// <summary>
    /// A conservative one-sided receptive field of the encoder in latent frames: a latent frame depends on no audio
    /// sample further than this many frames from it. Tiled encode is exact when its overlap is at least this
    /// (7 for ACE-Step; the spec's overlap is 2 s = 50 frames).
    /// </summary>
    public int EncoderReachFrames => (int)Math.Ceiling(Reach(encoder: true) - 1e-9);

    internal enum LayerKind
    {
        Conv,
        ConvTranspose,
        Snake,
    }

    /// <summary>One layer of the network in execution order. <paramref name="Rate"/> is samples per latent frame of its output.</summary>
    internal sealed record Layer(string Name, LayerKind Kind, int In, int Out, int Kernel, int Stride, int Dilation, int Padding,
        bool Bias, bool Encoder, int Rate);

    /// <summary>The layers of encoder then decoder, in execution order, with their checkpoint names (spec §6.1–6.3).</summary>
    internal IEnumerable<Layer> Layers()
    {
        var hop = HopLength;
        int[] multiples = [1, .. ChannelMultiples];

        // Encoder: audio [B, A, S] → [B, 2·latent, S / hop].
        var rate = hop;
        yield return Conv("encoder.conv1", AudioChannels, EncoderHiddenSize, 7, 1, 1, 3, true, true, rate);
        for (var i = 0; i < DownsamplingRatios.Count; i++)
        {
            var stride = DownsamplingRatios[i];
            var input = EncoderHiddenSize * multiples[i];
            var output = EncoderHiddenSize * multiples[i + 1];
            var prefix = $"encoder.block.{i}";
            foreach (var layer in ResidualUnits(prefix, input, rate, true))
                yield return layer;
            yield return Snake(prefix + ".snake1", input, true, rate);
            rate /= stride;
            yield return Conv(prefix + ".conv1", input, output, 2 * stride, stride, 1, (stride + 1) / 2, true, true, rate);
        }

        var deepest = EncoderHiddenSize * multiples[^1];
        yield return Snake("encoder.snake1", deepest, true, rate);
        yield return Conv("encoder.conv2", deepest, EncoderHiddenSize, 3, 1, 1, 1, true, true, rate);

        // Decoder: latent [B, latent, T] → audio [B, A, hop·T].
        var n = DownsamplingRatios.Count;
        rate = 1;
        yield return Conv("decoder.conv1", DecoderInputChannels, DecoderChannels * multiples[^1], 7, 1, 1, 3, true, false, rate);
        var up = UpsamplingRatios;
        for (var i = 0; i < n; i++)
        {
            var stride = up[i];
            var input = DecoderChannels * multiples[n - i];
            var output = DecoderChannels * multiples[n - i - 1];
            var prefix = $"decoder.block.{i}";
            yield return Snake(prefix + ".snake1", input, false, rate);
            rate *= stride;
            yield return new Layer(prefix + ".conv_t1", LayerKind.ConvTranspose, input, output, 2 * stride, stride, 1, (stride + 1) / 2,
                true, false, rate);
            foreach (var layer in ResidualUnits(prefix, output, rate, false))
                yield return layer;
        }

        yield return Snake("decoder.snake1", DecoderChannels, false, rate);
        yield return Conv("decoder.conv2", DecoderChannels, AudioChannels, 7, 1, 1, 3, false, false, rate);

        static Layer Conv(string name, int input, int output, int kernel, int stride, int dilation, int padding, bool bias, bool encoder, int rate) =>
            new(name, LayerKind.Conv, input, output, kernel, stride, dilation, padding, bias, encoder, rate);

        static Layer Snake(string name, int channels, bool encoder, int rate) =>
            new(name, LayerKind.Snake, channels, channels, 1, 1, 1, 0, false, encoder, rate);

        static IEnumerable<Layer> ResidualUnits(string prefix, int channels, int rate, bool encoder)
        {
            var unit = 1;
            foreach (var dilation in OobleckResidualUnit.Dilations)
            {
                var name = $"{prefix}.res_unit{unit++}";
                yield return Snake(name + ".snake1", channels, encoder, rate);
                yield return Conv(name + ".conv1", channels, channels, 7, 1, dilation, 3 * dilation, true, encoder, rate);
                yield return Snake(name + ".snake2", channels, encoder, rate);
                yield return Conv(name + ".conv2", channels, channels, 1, 1, 1, 0, true, encoder, rate);
            }
        }
    }

    private double Flops(bool encoder) => Layers()
        .Where(l => l.Encoder == encoder && l.Kind != LayerKind.Snake)
        .Sum(l => l.Kind == LayerKind.ConvTranspose
            // Each input sample (rate / stride per frame) meets every in·out·k weight once.
            ? 2.0 * l.In * l.Out * l.Kernel * (l.Rate / l.Stride)
            : 2.0 * l.In * l.Out * l.Kernel * l.Rate);

    /// <summary>
    /// Sum over layers of the largest distance, in latent frames, between the time span of an output element and
    /// that of an input element it reads. A stride-1 conv at r samples per frame reads ±dilation·(k−1)/2 samples;
    /// a kernel-2s stride-s conv or transposed conv with padding p reaches max(p, s−p) samples of its faster side
    /// beyond the span of the element itself.
    /// </summary>
    private double Reach(bool encoder) => Layers()
        .Where(l => l.Encoder == encoder && l.Kind != LayerKind.Snake)
        .Sum(l => l.Stride == 1
            ? l.Dilation * (l.Kernel - 1) / 2.0 / l.Rate
            : Math.Max(l.Padding, l.Stride - l.Padding) / (double)(l.Kind == LayerKind.ConvTranspose ? l.Rate : l.Rate * l.Stride));
}
