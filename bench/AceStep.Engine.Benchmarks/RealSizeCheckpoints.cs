using System.Text.Json;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Weights;
using AceStep.Engine.Vae;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Writes checkpoints at the real sizes in the official layout with random weights (the real ones cannot be downloaded
/// where the benchmarks run): the 2B DiT and Qwen3-Embedding-0.6B as bf16 safetensors, the Oobleck VAE, and a byte-level
/// tokenizer (256 byte tokens and the special tokens, no merges: prompts tokenize to more ids than Qwen's, which only
/// makes the text encoder's share pessimistic).
/// </summary>
internal static class RealSizeCheckpoints
{
    public static void WriteDit(string directory)
    {
        Write(directory, () => new AceStepConditionGenerationModel(new AceStepConfig()), """{"model_type":"acestep","is_turbo":false}""");
        using var silence = zeros(1, SilenceLatent.Frames, SilenceLatent.Channels);
        SilenceLatent.Save(Path.Combine(directory, AceStepConditionGenerationModel.SilenceLatentFile), silence);
    }

    public static void WriteTextEncoder(string directory)
    {
        Write(directory, () => new Qwen3TextModel(new Qwen3Config()), """{"model_type":"qwen3"}""");
        WriteByteLevelTokenizer(directory);
    }

    /// <summary>The 5 Hz planner LM at the 1.7B shape (spec §3.4; tied embeddings), weights only: enough to load and hold
    /// it resident (its tokenizer is not needed to measure memory).</summary>
    public static void WriteLm(string directory, string shape)
    {
        var c = LmDecodeBenchmarks.ConfigOf(shape);
        Write(directory, () => new AceStep.Engine.Model.Lm.Qwen3CausalLm(c), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model_type"] = "qwen3",
            ["vocab_size"] = c.VocabSize,
            ["hidden_size"] = c.Hidden,
            ["intermediate_size"] = c.Intermediate,
            ["num_hidden_layers"] = c.Layers,
            ["num_attention_heads"] = c.Heads,
            ["num_key_value_heads"] = c.KvHeads,
            ["head_dim"] = c.HeadDim,
            ["tie_word_embeddings"] = true,
        }));
    }

    public static void WriteVae(string directory)
    {
        Directory.CreateDirectory(directory);
        var c = OobleckVaeConfig.AceStep;
        File.WriteAllText(Path.Combine(directory, OobleckVae.ConfigFileName), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["audio_channels"] = c.AudioChannels,
            ["channel_multiples"] = c.ChannelMultiples,
            ["decoder_channels"] = c.DecoderChannels,
            ["decoder_input_channels"] = c.DecoderInputChannels,
            ["downsampling_ratios"] = c.DownsamplingRatios,
            ["encoder_hidden_size"] = c.EncoderHiddenSize,
            ["sampling_rate"] = c.SamplingRate,
        }));
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in c.CheckpointTensors())
        {
            using var normal = randn(shape) * 0.02;
            tensors[name] = name.EndsWith("weight_g", StringComparison.Ordinal) ? normal.abs() + 0.5 : normal.clone();
        }

        SafetensorsWriter.Write(Path.Combine(directory, OobleckVae.WeightsFileName), tensors);
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }

    private static void Write(string directory, Func<nn.Module> create, string configJson)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), configJson);
        // Built directly in bf16 so writing never holds an fp32 copy: the file weighs what the official one does.
        var previous = get_default_dtype();
        set_default_dtype(ScalarType.BFloat16);
        try
        {
            using var module = create();
            var tensors = module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
            SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors);
        }
        finally
        {
            set_default_dtype(previous);
        }
    }

    private static void WriteByteLevelTokenizer(string directory)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (b, c) in ByteToUnicode())
            vocab[c.ToString()] = b;
        var added = new Dictionary<string, int>
        {
            ["<|endoftext|>"] = 151_643, ["<|im_start|>"] = 151_644, ["<|im_end|>"] = 151_645, ["<think>"] = 151_667, ["</think>"] = 151_668,
        };
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(directory, "merges.txt"), "#version: 0.2\n");
        File.WriteAllText(Path.Combine(directory, "added_tokens.json"), JsonSerializer.Serialize(added));
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), """{"pad_token":"<|endoftext|>","eos_token":"<|im_end|>"}""");
    }

    // GPT-2's byte-level alphabet: printable Latin-1 bytes map to themselves, the others to U+0100 onwards.
    private static IEnumerable<(int Byte, char Char)> ByteToUnicode()
    {
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            yield return (b, (char)(printable ? b : next++));
        }
    }
}
