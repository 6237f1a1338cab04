using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Phase-2 decoding loop (spec §7.4 steps 4–5): the results' conditional prompts and, when guidance is on, their
/// unconditional (negative-prompt) prompts run as one left-padded batch [cond…, uncond…]; each step guides, constrains and
/// samples one token per result and feeds it to both its rows, until exactly the target number of codes is out and EOS
/// is forced. Returns the code indices k (token id − first code id) per result.
/// <para>
/// Before the target only code tokens may follow, so every step asks the LM for the logits of the code rows alone
/// (<see cref="AudioCodeConstraint.CodeRows"/>: 64 000 of the 217 204 head rows) and samples within them
/// (<see cref="TokenSampler.Sample(Tensor, VocabularyRange, long)"/>), which picks the same tokens as masking the full
/// logits. At the target only EOS may follow, so the step that would compute its logits is not run at all.
/// </para>
/// </summary>
public static class AudioCodeDecoder
{
    /// <summary>Codes between progress reports (5 s of audio).</summary>
    public const int ProgressInterval = 25;

    /// <summary>Decodes <paramref name="targetCodes"/> audio codes for each conditional prompt.</summary>
    /// <param name="model">The LM.</param>
    /// <param name="conditional">Token ids of each result's prompt.</param>
    /// <param name="unconditional">Token ids of each result's negative prompt; unused (may be null) when the CFG scale
    /// is 1, since then the unconditional logits drop out.</param>
    /// <param name="seeds">One seed per result.</param>
    /// <param name="targetCodes">Codes per result (duration · 5).</param>
    /// <param name="options">Sampling options.</param>
    /// <param name="constraint">The code/EOS masks for the model's vocabulary.</param>
    /// <param name="progress">Called with the codes written so far per result, every <see cref="ProgressInterval"/>
    /// codes and once at the end.</param>
    /// <param name="cancellationToken">Checked before every token.</param>
    public static long[][] Decode(Qwen3CausalLm model, IReadOnlyList<long[]> conditional, IReadOnlyList<long[]>? unconditional,
        IReadOnlyList<long> seeds, long targetCodes, LmSamplingOptions options, AudioCodeConstraint constraint,
        Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(constraint);
        ArgumentOutOfRangeException.ThrowIfNegative(targetCodes);
        options.Validate();
        var results = conditional.Count;
        if (results == 0 || seeds.Count != results)
            throw new ArgumentException("Give one seed per conditional prompt, and at least one prompt.", nameof(seeds));
        var guided = options.CfgScale != 1.0;
        if (guided && (unconditional is null || unconditional.Count != results))
            throw new ArgumentException("Guidance needs one unconditional prompt per result.", nameof(unconditional));

        var prompts = guided ? conditional.Concat(unconditional!).ToList() : conditional.ToList();
        var codes = Enumerable.Range(0, results).Select(_ => new long[targetCodes]).ToArray();
        var vocab = model.Config.VocabSize;
        if (constraint.VocabSize != vocab)
            throw new ArgumentException($"The constraint is for a vocabulary of {constraint.VocabSize}, the LM has {vocab}.", nameof(constraint));
        if (targetCodes == 0)
        {
            progress?.Invoke(0);
            return codes;                                                            // only EOS may follow the prompt
        }

        var rows = constraint.CodeRows;
        using var scope = NewDisposeScope();
        var (ids, mask) = LeftPad(prompts);
        using var cache = model.CreateCache(prompts.Count, ids.shape[1] + targetCodes);
        // Owned here rather than by a scope: one [rows, codes] tensor per step would otherwise pile up until the end.
        var logits = model.Prefill(cache, ids, mask, rows).DetachFromDisposeScope();
        using var sampler = new TokenSampler(seeds, options, logits.device);
        try
        {
            for (long emitted = 0; ; emitted++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (emitted > 0 && emitted % ProgressInterval == 0)
                    progress?.Invoke(emitted);
                using var step = NewDisposeScope();
                var cond = logits.narrow(0, 0, results);
                var guidedLogits = guided ? LogitsProcessors.Cfg(cond, logits.narrow(0, results, results), options.CfgScale) : cond;
                var tokens = sampler.Sample(guidedLogits, rows, vocab);                                          // [results]
                var chosen = tokens.data<long>().ToArray();
                for (var r = 0; r < results; r++)
                    codes[r][emitted] = chosen[r] - constraint.FirstCodeId;
                if (emitted + 1 == targetCodes)
                    break;                                                        // EOS is all that may follow: no step
                var next = (guided ? cat([tokens, tokens], 0) : tokens).unsqueeze(1);                            // [rows, 1]
                var following = model.Step(cache, next, rows).DetachFromDisposeScope();
                logits.Dispose();
                logits = following;
            }
        }
        finally
        {
            logits.Dispose();
        }

        progress?.Invoke(targetCodes);
        return codes;
    }

    /// <summary>Left-pads prompts to a common length: ids (pads are 0) and a validity mask, both [N, L].</summary>
    public static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<long[]> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0 || prompts.Any(p => p.Length == 0))
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        var length = prompts.Max(p => p.Length);
        var ids = new long[prompts.Count * length];
        var valid = new bool[prompts.Count * length];
        for (var r = 0; r < prompts.Count; r++)
        {
            var pad = length - prompts[r].Length;
            Array.Copy(prompts[r], 0, ids, (r * length) + pad, prompts[r].Length);
            Array.Fill(valid, true, (r * length) + pad, prompts[r].Length);
        }

        return (tensor(ids, [prompts.Count, length]), tensor(valid, [prompts.Count, length]));
    }
}
