using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Phase-1 decoding loop (spec §7.3): one row, no guidance (CFG is forced to 1 in this phase), the prompt prefilled once
/// and each token then constrained by a <see cref="MetadataConstraint"/> and sampled with the result's seed — or, when
/// the grammar leaves one token (tags, field names, forced values), taken without sampling. Stops at <c>&lt;/think&gt;</c>.
/// </summary>
public static class MetadataDecoder
{
    /// <summary>Tokens between progress reports.</summary>
    public const int ProgressInterval = 16;

    /// <summary>Writes the CoT block after <paramref name="prompt"/> and returns its token ids.</summary>
    /// <param name="model">The LM.</param>
    /// <param name="prompt">Token ids of the phase-1 prompt (the open assistant turn).</param>
    /// <param name="constraint">A fresh constraint for this request's grammar.</param>
    /// <param name="maxTokens">Cache room for the block (the grammar's <see cref="MetadataGrammar.MaxTokens"/>).</param>
    /// <param name="seed">The sampling seed.</param>
    /// <param name="options">Temperature, top-k and top-p; the CFG scale is not used here.</param>
    /// <param name="progress">Called with the tokens written so far, every <see cref="ProgressInterval"/> tokens.</param>
    /// <param name="cancellationToken">Checked before every token.</param>
    public static long[] Decode(Qwen3CausalLm model, long[] prompt, MetadataConstraint constraint, int maxTokens, long seed,
        LmSamplingOptions options, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTokens);
        if (prompt.Length == 0)
            throw new ArgumentException("The prompt needs at least one token.", nameof(prompt));

        using var scope = NewDisposeScope();
        using var cache = model.CreateCache(1, prompt.Length + maxTokens);
        var logits = model.Prefill(cache, tensor(prompt, [1, prompt.Length])).DetachFromDisposeScope();
        using var sampler = new TokenSampler([seed], options with { CfgScale = 1.0 }, logits.device);
        var written = 0;
        try
        {
            while (!constraint.IsComplete)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (written == maxTokens)
                    throw new InvalidOperationException($"The CoT block did not close within {maxTokens} tokens.");
                using var step = NewDisposeScope();
                var token = constraint.ForcedToken ?? sampler.Sample(constraint.Apply(logits)).item<long>();
                constraint.Advance(token);
                written++;
                if (written % ProgressInterval == 0)
                    progress?.Invoke(written);
                if (constraint.IsComplete)
                    break;
                var following = model.Step(cache, tensor(new[] { token }, [1, 1])).DetachFromDisposeScope();
                logits.Dispose();
                logits = following;
            }
        }
        finally
        {
            logits.Dispose();
        }

        progress?.Invoke(written);
        return [.. constraint.Emitted];
    }
}
