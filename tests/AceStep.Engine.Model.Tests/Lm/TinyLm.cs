using System.Text.Json.Nodes;
using AceStep.Engine.Model.Config;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Weights;
using TorchSharp;

namespace AceStep.Engine.Model.Tests.Lm;

/// <summary>Writes tiny LM checkpoints in the official Qwen3ForCausalLM layout (model.* names, optional lm_head.weight).</summary>
internal static class TinyLm
{
    public static Qwen3Config Config(bool tied = true, long vocab = 300) => new()
    {
        VocabSize = vocab,
        Hidden = 24,
        Intermediate = 48,
        Layers = 2,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 8,
        TieWordEmbeddings = tied,
    };

    /// <summary>Writes config.json and model.safetensors from a seeded random model.</summary>
    /// <param name="withLmHead">Store lm_head.weight (always, for an untied config; a copy of the embedding when tied).</param>
    /// <param name="prefix">"model." as upstream; "" for checkpoints stored without it.</param>
    public static string Write(string directory, Qwen3Config config, long seed, bool withLmHead, string prefix = Qwen3CausalLm.ModelPrefix)
    {
        Directory.CreateDirectory(directory);
        var json = Generation.TinyCheckpoints.QwenConfigJson(config);
        json["architectures"] = new JsonArray("Qwen3ForCausalLM");
        json["max_position_embeddings"] = 40960;
        json["tie_word_embeddings"] = config.TieWordEmbeddings;
        File.WriteAllText(Path.Combine(directory, "config.json"), json.ToJsonString());

        torch.manual_seed(seed);
        using var model = new Qwen3CausalLm(config);
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.StartsWith("lm_head.", StringComparison.Ordinal) && !withLmHead)
                    continue;
                var stored = name.StartsWith(Qwen3CausalLm.ModelPrefix, StringComparison.Ordinal)
                    ? prefix + name[Qwen3CausalLm.ModelPrefix.Length..]
                    : name;
                tensors[stored] = parameter.detach().clone();
            }

            if (config.TieWordEmbeddings && withLmHead)
                tensors["lm_head.weight"] = tensors[prefix + "embed_tokens.weight"].clone();
            SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), tensors);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }

        return directory;
    }
}
