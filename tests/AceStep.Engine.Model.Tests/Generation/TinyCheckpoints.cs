using System.Text.Json.Nodes;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using TorchSharp;

namespace AceStep.Engine.Model.Tests.Generation;

/// <summary>
/// Writes small checkpoints in the official layout (config.json with upstream's keys, model.safetensors with upstream's
/// tensor names, silence_latent.pt as torch.save writes it): reduced widths, real or reduced depths.
/// </summary>
internal static class TinyCheckpoints
{
    /// <summary>A DiT configuration at toy width; depths default to small values, pass the real ones to check names.</summary>
    public static AceStepConfig DitConfig(int decoderLayers = 2, int lyricLayers = 2, int timbreLayers = 2, int poolerLayers = 2) => new()
    {
        Hidden = 32,
        Intermediate = 64,
        DecoderLayers = decoderLayers,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 8,
        TextHidden = 24,
        LyricLayers = lyricLayers,
        TimbreLayers = timbreLayers,
        PoolerLayers = poolerLayers,
        TimbreFrames = 750,
    };

    public static Qwen3Config QwenConfig(long vocab = 300) => new()
    {
        VocabSize = vocab,
        Hidden = 24,
        Intermediate = 48,
        Layers = 2,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 8,
    };

    /// <summary>Writes config.json with upstream's key names for <paramref name="config"/>.</summary>
    public static void WriteDitConfig(string directory, AceStepConfig config, Action<JsonObject>? edit = null)
    {
        var json = new JsonObject
        {
            ["model_type"] = "acestep",
            ["hidden_size"] = config.Hidden,
            ["intermediate_size"] = config.Intermediate,
            ["num_hidden_layers"] = config.DecoderLayers,
            ["num_audio_decoder_hidden_layers"] = config.DecoderLayers,
            ["num_attention_heads"] = config.Heads,
            ["num_key_value_heads"] = config.KvHeads,
            ["head_dim"] = config.HeadDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = config.Eps,
            ["rope_theta"] = config.RopeTheta,
            ["use_sliding_window"] = true,
            ["sliding_window"] = 128,
            ["layer_types"] = new JsonArray(Enumerable.Range(0, config.DecoderLayers)
                .Select(i => (JsonNode)JsonValue.Create(i % 2 == 0 ? "sliding_attention" : "full_attention")!).ToArray()),
            ["in_channels"] = 3 * config.LatentChannels,
            ["patch_size"] = config.PatchSize,
            ["audio_acoustic_hidden_dim"] = config.LatentChannels,
            ["timbre_hidden_dim"] = config.TimbreChannels,
            ["text_hidden_dim"] = config.TextHidden,
            ["timbre_fix_frame"] = config.TimbreFrames,
            ["num_lyric_encoder_hidden_layers"] = config.LyricLayers,
            ["num_timbre_encoder_hidden_layers"] = config.TimbreLayers,
            ["num_attention_pooler_hidden_layers"] = config.PoolerLayers,
            ["pool_window_size"] = config.PoolWindow,
            ["fsq_dim"] = config.Hidden,
            ["fsq_input_levels"] = new JsonArray(config.FsqLevels.Select(l => (JsonNode)JsonValue.Create(l)!).ToArray()),
            ["fsq_input_num_quantizers"] = 1,
            ["is_turbo"] = config.IsTurbo,
            ["dtype"] = "bfloat16",
        };
        edit?.Invoke(json);
        File.WriteAllText(Path.Combine(directory, "config.json"), json.ToJsonString());
    }

    /// <summary>Writes a full DiT checkpoint directory from a seeded random model; returns the directory.</summary>
    public static string WriteDit(string directory, AceStepConfig config, long seed = 1, bool bf16 = false,
        Func<string, bool>? skip = null)
    {
        Directory.CreateDirectory(directory);
        WriteDitConfig(directory, config);
        torch.manual_seed(seed);
        using (var model = new AceStepConditionGenerationModel(config))
        {
            WriteParameters(Path.Combine(directory, AceStepConditionGenerationModel.WeightsFile), model, skip, bf16);
        }

        WriteSilence(Path.Combine(directory, AceStepConditionGenerationModel.SilenceLatentFile), frames: 1000);
        return directory;
    }

    /// <summary>The keys of a Qwen3 <c>config.json</c> both the text encoder and the LM checkpoints carry.</summary>
    public static JsonObject QwenConfigJson(Qwen3Config config) => new()
    {
        ["model_type"] = "qwen3",
        ["vocab_size"] = config.VocabSize,
        ["hidden_size"] = config.Hidden,
        ["intermediate_size"] = config.Intermediate,
        ["num_hidden_layers"] = config.Layers,
        ["num_attention_heads"] = config.Heads,
        ["num_key_value_heads"] = config.KvHeads,
        ["head_dim"] = config.HeadDim,
        ["rms_norm_eps"] = config.Eps,
        ["rope_theta"] = config.RopeTheta,
        ["attention_bias"] = false,
    };

    /// <summary>Writes a Qwen3 text-encoder directory (config.json + model.safetensors) from a seeded random model.</summary>
    public static string WriteQwen(string directory, Qwen3Config config, long seed = 2, string prefix = "")
    {
        Directory.CreateDirectory(directory);
        var json = QwenConfigJson(config);
        json["tie_word_embeddings"] = true;
        File.WriteAllText(Path.Combine(directory, "config.json"), json.ToJsonString());
        torch.manual_seed(seed);
        using var model = new Qwen3TextModel(config);
        WriteParameters(Path.Combine(directory, "model.safetensors"), model, null, bf16: false, prefix);
        return directory;
    }

    /// <summary>A silence latent as upstream ships it: [1, 64, frames], nearly constant per channel.</summary>
    public static void WriteSilence(string path, int frames)
    {
        var values = new float[64 * frames];
        for (var c = 0; c < 64; c++)
        {
            for (var f = 0; f < frames; f++)
                values[(c * frames) + f] = (float)(0.1 * Math.Sin(c)) + (f < 4 ? 0.05f : 0f);
        }

        WeightsTestFiles.WriteTorchZip(path, "silence_latent", [1, 64, frames], values);
    }

    public static void WriteParameters(string path, torch.nn.Module module, Func<string, bool>? skip, bool bf16, string prefix = "")
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, parameter) in module.named_parameters())
            {
                if (skip?.Invoke(name) == true)
                    continue;
                var stored = parameter.detach().clone();
                tensors[prefix + name] = bf16 ? stored.to_type(torch.ScalarType.BFloat16) : stored;
            }

            SafetensorsWriter.Write(path, tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }
}
