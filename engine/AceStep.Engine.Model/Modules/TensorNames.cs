namespace AceStep.Engine.Model.Modules;

/// <summary>
/// Sub-module and parameter names of the building blocks, exactly as the checkpoint spells them (spec §4.2, §4.3, §4.9).
/// Every module registers its children under these names, so <c>named_parameters()</c> yields checkpoint keys relative
/// to the module (e.g. <c>self_attn.q_proj.weight</c>) and loading needs no per-tensor mapping table.
/// </summary>
public static class TensorNames
{
    /// <summary>Attention query projection.</summary>
    public const string QProj = "q_proj";

    /// <summary>Attention key projection.</summary>
    public const string KProj = "k_proj";

    /// <summary>Attention value projection.</summary>
    public const string VProj = "v_proj";

    /// <summary>Attention output projection.</summary>
    public const string OProj = "o_proj";

    /// <summary>Per-head RMSNorm of the queries.</summary>
    public const string QNorm = "q_norm";

    /// <summary>Per-head RMSNorm of the keys.</summary>
    public const string KNorm = "k_norm";

    /// <summary>MLP gate projection.</summary>
    public const string GateProj = "gate_proj";

    /// <summary>MLP up projection.</summary>
    public const string UpProj = "up_proj";

    /// <summary>MLP down projection.</summary>
    public const string DownProj = "down_proj";

    /// <summary>Encoder layer: norm before self-attention.</summary>
    public const string InputLayerNorm = "input_layernorm";

    /// <summary>Encoder layer: norm before the MLP.</summary>
    public const string PostAttentionLayerNorm = "post_attention_layernorm";

    /// <summary>Self-attention block.</summary>
    public const string SelfAttn = "self_attn";

    /// <summary>MLP block.</summary>
    public const string Mlp = "mlp";

    /// <summary>Timestep embedding: first linear (sinusoid → hidden).</summary>
    public const string Linear1 = "linear_1";

    /// <summary>Timestep embedding: second linear (hidden → hidden).</summary>
    public const string Linear2 = "linear_2";

    /// <summary>Timestep embedding: projection to the six modulation vectors.</summary>
    public const string TimeProj = "time_proj";

    /// <summary>Audio tokenizer: the residual FSQ quantizer (<c>tokenizer.quantizer</c>, spec §4.7, §4.9).</summary>
    public const string Quantizer = "quantizer";

    /// <summary>Residual FSQ: projection from the model width down to the FSQ dimensions (Linear 2048→6, +bias).</summary>
    public const string ProjectIn = "project_in";

    /// <summary>Residual FSQ: projection from the FSQ codes back to the model width (Linear 6→2048, +bias).</summary>
    public const string ProjectOut = "project_out";

    /// <summary>DiT layer: norm before the modulated self-attention (spec §4.4).</summary>
    public const string SelfAttnNorm = "self_attn_norm";

    /// <summary>DiT layer: norm before the (unmodulated) cross-attention.</summary>
    public const string CrossAttnNorm = "cross_attn_norm";

    /// <summary>DiT layer: cross-attention block (queries from the latent tokens, keys/values from the condition).</summary>
    public const string CrossAttn = "cross_attn";

    /// <summary>DiT layer: norm before the modulated MLP.</summary>
    public const string MlpNorm = "mlp_norm";

    /// <summary>AdaLN modulation table: [1, 6, hidden] per DiT layer, [1, 2, hidden] on the decoder output (spec §4.9).</summary>
    public const string ScaleShiftTable = "scale_shift_table";

    /// <summary>Decoder: patch convolution in (an nn.Sequential whose conv sits at index 1).</summary>
    public const string ProjIn = "proj_in";

    /// <summary>Decoder: patch deconvolution out (an nn.Sequential whose deconv sits at index 1); detokenizer: the
    /// linear projection back to the 64 latent channels.</summary>
    public const string ProjOut = "proj_out";

    /// <summary>Index of the convolution inside <c>proj_in</c>/<c>proj_out</c>; index 0 upstream is a parameterless transpose.</summary>
    public const string PatchConvIndex = "1";

    /// <summary>Decoder: timestep embedding of t.</summary>
    public const string TimeEmbed = "time_embed";

    /// <summary>Decoder: timestep embedding of t − r (always 0 at inference, still added).</summary>
    public const string TimeEmbedR = "time_embed_r";

    /// <summary>Decoder: linear applied to the packed condition sequence before cross-attention.</summary>
    public const string ConditionEmbedder = "condition_embedder";

    /// <summary>Layer stack (<c>layers.{i}.…</c>).</summary>
    public const string Layers = "layers";

    /// <summary>Decoder: final norm before the output AdaLN.</summary>
    public const string NormOut = "norm_out";

    /// <summary>Input embedding of an encoder stack or of the Qwen3 text model (<c>embed_tokens</c>).</summary>
    public const string EmbedTokens = "embed_tokens";

    /// <summary>Final norm of an encoder stack or of the Qwen3 text model.</summary>
    public const string Norm = "norm";

    /// <summary>Learned token prepended (attention pooler) or unused (timbre encoder) — <c>special_token</c> [1, 1, hidden].</summary>
    public const string SpecialToken = "special_token";

    /// <summary>Detokenizer: learned per-position tokens <c>special_tokens</c> [1, 5, hidden] added to the repeated token.</summary>
    public const string SpecialTokens = "special_tokens";

    /// <summary>Condition encoder: caption projector 1024 → 2048 without bias.</summary>
    public const string TextProjector = "text_projector";

    /// <summary>Condition encoder: the 8-layer lyric encoder.</summary>
    public const string LyricEncoder = "lyric_encoder";

    /// <summary>Condition encoder: the 4-layer timbre encoder.</summary>
    public const string TimbreEncoder = "timbre_encoder";

    /// <summary>Audio tokenizer: per-frame projection 64 → 2048.</summary>
    public const string AudioAcousticProj = "audio_acoustic_proj";

    /// <summary>Audio tokenizer: the 2-layer attention pooler (5 frames → 1 token).</summary>
    public const string AttentionPooler = "attention_pooler";

    /// <summary>Top level: the DiT decoder.</summary>
    public const string Decoder = "decoder";

    /// <summary>Top level: the condition encoder.</summary>
    public const string Encoder = "encoder";

    /// <summary>Top level: the 5 Hz audio tokenizer.</summary>
    public const string Tokenizer = "tokenizer";

    /// <summary>Top level: the audio detokenizer (5 Hz codes → 25 Hz hints).</summary>
    public const string Detokenizer = "detokenizer";

    /// <summary>Top level: the learned unconditional embedding [1, 1, hidden] used by CFG.</summary>
    public const string NullConditionEmb = "null_condition_emb";
}
