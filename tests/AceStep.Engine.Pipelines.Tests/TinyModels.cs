using System.Text.Json.Nodes;
using AceStep.Engine.Model.Tests.Generation;
using AceStep.Engine.Model.Tests.Lm;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.ModelStore;
using AceStep.Engine.Text.Tests.Tokenization;
using AceStep.Engine.Vae;
using AceStep.Engine.Vae.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines.Tests;

/// <summary>
/// A models directory holding tiny checkpoints of all three parts in the official layout (written by our own code:
/// reduced widths, real hop of 1920 and latent width 64), installed the way a user installs copied folders
/// (<c>acestep models adopt</c>), shared by the tests of a class.
/// </summary>
public sealed class TinyModels : IDisposable
{
    public const string DitId = "acestep-v15-base";

    /// <summary>The planner LM installed: a tiny LM under the 0.6B id (the engine default, 1.7B, stays missing).</summary>
    public const string LmId = "acestep-5Hz-lm-0.6B";

    public TinyModels()
        : this(Path.Combine(Path.GetTempPath(), "acestep-pipelines-" + Guid.NewGuid().ToString("N")))
    {
    }

    /// <summary>Writes the models under <paramref name="root"/> (e.g. an engine home's <c>models</c> folder).</summary>
    public static TinyModels WriteTo(string root) => new(root);

    private TinyModels(string root)
    {
        Root = root;
        var layout = new ModelLayout(Root);
        var dit = Path.Combine(Root, "checkpoints", DitId);
        var text = Path.Combine(Root, "checkpoints", ModelAudioGenerator.TextEncoderId);
        var vae = Path.Combine(Root, "checkpoints", ModelAudioGenerator.VaeId);

        TinyCheckpoints.WriteDit(dit, TinyCheckpoints.DitConfig(), seed: 41);
        TinyCheckpoints.WriteQwen(text, TinyCheckpoints.QwenConfig(vocab: TinyQwenTokenizer.FirstAudioCode + 1), seed: 42);
        using (var tokenizer = new TinyQwenTokenizer())
        {
            foreach (var file in Directory.GetFiles(tokenizer.Directory))
                File.Copy(file, Path.Combine(text, Path.GetFileName(file)), overwrite: true);
        }

        WriteVae(vae, seed: 43);
        var lm = WriteLm(Path.Combine(Root, "checkpoints", LmId), seed: 44);
        var verifier = new ModelVerifier(layout);
        foreach (var id in new[] { DitId, ModelAudioGenerator.TextEncoderId, ModelAudioGenerator.VaeId, LmId })
            verifier.AdoptAsync(id, null, CancellationToken.None).GetAwaiter().GetResult();
        Paths = new ModelPaths(dit, text, vae);
        LmPath = lm;
    }

    /// <summary>The tiny planner LM's directory (weights and the tiny tokenizer with 100 audio codes).</summary>
    public string LmPath { get; }

    /// <summary>A tiny Qwen3 LM over the whole tiny tokenizer (every id up to the last audio code) plus its tokenizer files.</summary>
    public static string WriteLm(string directory, int seed)
    {
        TinyLm.Write(directory, TinyLm.Config(vocab: TinyQwenTokenizer.FirstAudioCode + TinyQwenTokenizer.AudioCodes), seed, withLmHead: false);
        using var tokenizer = new TinyQwenTokenizer();
        foreach (var file in Directory.GetFiles(tokenizer.Directory))
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        return directory;
    }

    public string Root { get; }

    public ModelPaths Paths { get; }

    /// <summary>Hop 1920 like the real VAE and 64 latent channels like the DiT. The encoder cannot shrink below 128
    /// channels (its output is the 2 × 64 posterior), so only the decoder is narrow.</summary>
    public static OobleckVaeConfig VaeConfig { get; } = new()
    {
        AudioChannels = 2,
        ChannelMultiples = [1, 1, 1, 1, 1],
        DecoderChannels = 4,
        DecoderInputChannels = 64,
        DownsamplingRatios = [2, 4, 4, 6, 10],
        EncoderHiddenSize = 128,
        SamplingRate = 48_000,
    };

    public AceStepModels Load(MemoryMode mode = MemoryMode.Resident, bool withPlanner = false, Model.Compact.ComputePlan? compute = null) =>
        new(withPlanner ? Paths with { Lm = LmPath } : Paths, new WeightLoadOptions(), mode, compute: compute);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void WriteVae(string directory, int seed)
    {
        Directory.CreateDirectory(directory);
        var c = VaeConfig;
        var json = new JsonObject
        {
            ["_class_name"] = "AutoencoderOobleck",
            ["audio_channels"] = c.AudioChannels,
            ["channel_multiples"] = new JsonArray(c.ChannelMultiples.Select(v => (JsonNode)v).ToArray()),
            ["decoder_channels"] = c.DecoderChannels,
            ["decoder_input_channels"] = c.DecoderInputChannels,
            ["downsampling_ratios"] = new JsonArray(c.DownsamplingRatios.Select(v => (JsonNode)v).ToArray()),
            ["encoder_hidden_size"] = c.EncoderHiddenSize,
            ["sampling_rate"] = c.SamplingRate,
        };
        File.WriteAllText(Path.Combine(directory, OobleckVae.ConfigFileName), json.ToJsonString());
        var generator = new Generator((ulong)seed);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in c.CheckpointTensors(WeightNormLayout.WeightGV))
        {
            using var normal = randn(shape, generator: generator);
            tensors[name] = name.EndsWith("weight_g", StringComparison.Ordinal) ? normal.abs() + 0.5 : normal * 0.3;
        }

        SafetensorsWriter.Write(Path.Combine(directory, OobleckVae.WeightsFileName), tensors);
        foreach (var t in tensors.Values)
            t.Dispose();
    }
}
