namespace AceStep.Engine.Model.Config;

/// <summary>
/// A Qwen3 <c>config.json</c> (model_type <c>qwen3</c>): the Qwen3-Embedding-0.6B text encoder (spec §3.5) and, later, the
/// 5 Hz LM planners (§3.4). Defaults are Qwen3-Embedding-0.6B.
/// </summary>
public sealed record Qwen3Config
{
    /// <summary>Vocabulary size (151 669 for the text encoder, 217 204 for the LM).</summary>
    public long VocabSize { get; init; } = 151_669;

    /// <summary>Width (<c>hidden_size</c>, 1024).</summary>
    public long Hidden { get; init; } = 1024;

    /// <summary>MLP inner width (3072).</summary>
    public long Intermediate { get; init; } = 3072;

    /// <summary>Decoder layers (28).</summary>
    public int Layers { get; init; } = 28;

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

    /// <summary>Whether the output head shares the embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Reads <c>config.json</c>.</summary>
    /// <exception cref="ModelConfigException">Missing, malformed, or not a Qwen3 layout this engine runs.</exception>
    public static Qwen3Config Load(string configPath)
    {
        var json = ConfigJson.Read(configPath);
        if (json.String("model_type") is { } type && !string.Equals(type, "qwen3", StringComparison.Ordinal))
            throw json.Unsupported("model_type", $"is '{type}', expected 'qwen3'");
        if (json.Bool("attention_bias", false))
            throw json.Unsupported("attention_bias", "is true");
        return new Qwen3Config
        {
            VocabSize = json.Long("vocab_size", 151_669),
            Hidden = json.Long("hidden_size", 1024),
            Intermediate = json.Long("intermediate_size", 3072),
            Layers = json.Int("num_hidden_layers", 28),
            Heads = json.Long("num_attention_heads", 16),
            KvHeads = json.Long("num_key_value_heads", 8),
            // Qwen3 fixes head_dim at 128 independent of the width (0.6B: 16 heads × 128 = 2048 ≠ hidden 1024).
            HeadDim = json.Int("head_dim", 128),
            Eps = json.Double("rms_norm_eps", 1e-6),
            RopeTheta = json.Double("rope_theta", 1_000_000.0),
            TieWordEmbeddings = json.Bool("tie_word_embeddings", true),
        };
    }
}
