using AceStep.Engine.Model.Weights;
using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Tests;

/// <summary>A temporary directory, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acestep-vae-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// The ACE-Step VAE layout (strides [2, 4, 4, 6, 10], hop 1920, five blocks, three residual units each) at tiny widths,
/// so whole-model tests run in milliseconds to a few seconds.
/// </summary>
internal static class TinyVae
{
    public static OobleckVaeConfig Config { get; } = new()
    {
        AudioChannels = 2,
        ChannelMultiples = [1, 2, 2, 2, 2],
        DecoderChannels = 4,
        DecoderInputChannels = 4,
        DownsamplingRatios = [2, 4, 4, 6, 10],
        EncoderHiddenSize = 8,
        SamplingRate = 48_000,
    };

    /// <summary>
    /// A two-block geometry (hop 4) at 100 Hz: the spec's tiling sizes (512/64 frames, 30 s/2 s) then need only a few
    /// thousand samples. Its receptive field in frames is wider than the real one (34 decode, 32 encode: the dilated
    /// units sit at 2 and 4 samples per frame instead of 10…1920) but still inside the spec's overlaps (64, 50).
    /// </summary>
    public static OobleckVaeConfig ShortHop { get; } = new()
    {
        AudioChannels = 2,
        ChannelMultiples = [1, 2],
        DecoderChannels = 4,
        DecoderInputChannels = 4,
        DownsamplingRatios = [2, 2],
        EncoderHiddenSize = 8,
        SamplingRate = 100,
    };

    /// <summary>The tiny config as <c>config.json</c> text (diffusers' keys, as the official file).</summary>
    public const string ConfigJson = """
        {"_class_name":"AutoencoderOobleck","_diffusers_version":"0.34.0","audio_channels":2,"channel_multiples":[1,2,2,2,2],
        "decoder_channels":4,"decoder_input_channels":4,"downsampling_ratios":[2,4,4,6,10],"encoder_hidden_size":8,"sampling_rate":48000}
        """;

    /// <summary>A tiny VAE with random weights, Snake α and β included (they start at zero otherwise).</summary>
    public static OobleckVae Random(int seed, OobleckVaeConfig? config = null)
    {
        manual_seed(seed);
        var vae = new OobleckVae(config ?? Config);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in vae.named_parameters())
        {
            if (name.EndsWith(".alpha", StringComparison.Ordinal) || name.EndsWith(".beta", StringComparison.Ordinal))
            {
                using var value = randn(parameter.shape) * 0.3;
                parameter.copy_(value);
            }
        }

        return vae;
    }

    /// <summary>
    /// Random checkpoint tensors in the official layout for <see cref="Config"/> (names and shapes from the config's
    /// inventory): g positive, v and the rest normal.
    /// </summary>
    public static Dictionary<string, Tensor> CheckpointTensors(int seed, WeightNormLayout layout = WeightNormLayout.WeightGV)
    {
        var generator = new Generator((ulong)seed);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in Config.CheckpointTensors(layout))
        {
            var isG = name.EndsWith("weight_g", StringComparison.Ordinal) || name.EndsWith("original0", StringComparison.Ordinal);
            using var normal = randn(shape, generator: generator);
            tensors[name] = isG ? normal.abs() + 0.5 : normal * 0.3;
        }

        return tensors;
    }

    /// <summary>Writes a tiny <c>vae/</c> directory (config.json + weights) and returns the raw tensors written.</summary>
    public static Dictionary<string, Tensor> WriteDirectory(string directory, int seed, WeightNormLayout layout = WeightNormLayout.WeightGV,
        Func<Dictionary<string, Tensor>, Dictionary<string, Tensor>>? edit = null)
    {
        var tensors = CheckpointTensors(seed, layout);
        if (edit is not null)
            tensors = edit(tensors);
        File.WriteAllText(Path.Combine(directory, OobleckVae.ConfigFileName), ConfigJson);
        SafetensorsWriter.Write(Path.Combine(directory, OobleckVae.WeightsFileName), tensors);
        return tensors;
    }
}
