namespace AceStep.Engine.Model.Lm;

/// <summary>How the LM picks each token (spec §7.4 step 5, §7.6 defaults).</summary>
public sealed record LmSamplingOptions
{
    /// <summary>Softmax temperature (lm_temperature, 0.85); 0 picks the most likely token.</summary>
    public double Temperature { get; init; } = 0.85;

    /// <summary>Keep only the k most likely tokens (lm_top_k); 0 turns it off (the default).</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of most likely tokens holding this probability mass (lm_top_p,
    /// 0.9); 1 turns it off.</summary>
    public double TopP { get; init; } = 0.9;

    /// <summary>Where the temperature is applied relative to top-k/top-p; <see cref="TemperatureOrder.ByDevice"/> by
    /// default, which follows the backend upstream uses on that device.</summary>
    public TemperatureOrder TemperatureOrder { get; init; } = TemperatureOrder.ByDevice;

    /// <summary>Classifier-free guidance on logits (lm_cfg_scale, 2.0): l = l_u + s·(l_c − l_u); 1 turns it off.</summary>
    public double CfgScale { get; init; } = 2.0;

    /// <summary>Throws when a value is outside its range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Temperature);
        ArgumentOutOfRangeException.ThrowIfNegative(TopK);
        if (!(TopP > 0 && TopP <= 1))
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must lie in (0, 1].");
        if (!double.IsFinite(CfgScale))
            throw new ArgumentOutOfRangeException(nameof(CfgScale), CfgScale, "The CFG scale must be finite.");
    }
}

/// <summary>
/// Where the LM's temperature is applied (spec §7.4 step 5). Upstream differs by backend: its PyTorch backend (CPU, and
/// CUDA when vLLM is unavailable) filters top-k and top-p first and divides by the temperature when sampling; its
/// default CUDA backend (nano-vLLM) divides by the temperature first and filters the scaled logits. With top-p the two
/// keep different token sets, since the temperature changes the probabilities the nucleus is measured on.
/// </summary>
public enum TemperatureOrder
{
    /// <summary>As upstream on the logits' device: <see cref="BeforeFilters"/> on CUDA, <see cref="AfterFilters"/> elsewhere.</summary>
    ByDevice,

    /// <summary>logits / T, then top-k, then top-p (upstream's nano-vLLM sampler, its default on CUDA).</summary>
    BeforeFilters,

    /// <summary>top-k, then top-p, then logits / T (upstream's PyTorch backend, used on CPU).</summary>
    AfterFilters,
}
