using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Phase-2 constrained decoding (spec §7.1, §7.4 step 4): until <c>target</c> codes are out only the valid audio-code
/// tokens (<c>firstCodeId</c> .. firstCodeId + codeCount − 1) may follow; at the target only EOS (<c>&lt;|im_end|&gt;</c>)
/// may. Masks are built once per vocabulary and applied with −∞ after CFG, which keeps (−∞) − (−∞) out of the guidance.
/// </summary>
public sealed class AudioCodeConstraint : IDisposable
{
    /// <summary>Token id of <c>&lt;|audio_code_0|&gt;</c> in the LM vocabulary.</summary>
    public const long FirstAudioCodeId = 151_669;

    /// <summary>Valid codes: the FSQ codebook size (the vocabulary has 65 535 code tokens, the last 1 535 unused).</summary>
    public const long ValidCodeCount = 64_000;

    /// <summary>Token id of <c>&lt;|im_end|&gt;</c>, the LM's EOS.</summary>
    public const long ImEndId = 151_645;

    private readonly Tensor _blockedBeforeTarget;
    private readonly Tensor _blockedAtTarget;

    /// <summary>Builds the masks for a vocabulary.</summary>
    /// <param name="vocabSize">Logit width V.</param>
    /// <param name="firstCodeId">Token id of code 0.</param>
    /// <param name="codeCount">Valid codes.</param>
    /// <param name="eosId">The token that ends the codes.</param>
    /// <param name="device">Device of the logits.</param>
    public AudioCodeConstraint(long vocabSize, long firstCodeId = FirstAudioCodeId, long codeCount = ValidCodeCount,
        long eosId = ImEndId, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        ArgumentOutOfRangeException.ThrowIfNegative(firstCodeId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(codeCount);
        if (firstCodeId + codeCount > vocabSize)
            throw new ArgumentOutOfRangeException(nameof(codeCount), $"Codes {firstCodeId}..{firstCodeId + codeCount - 1} exceed the vocabulary of {vocabSize}.");
        if (eosId < 0 || eosId >= vocabSize || (eosId >= firstCodeId && eosId < firstCodeId + codeCount))
            throw new ArgumentOutOfRangeException(nameof(eosId), eosId, "EOS must be in the vocabulary and not a code.");
        VocabSize = vocabSize;
        FirstCodeId = firstCodeId;
        CodeCount = codeCount;
        EosId = eosId;
        using var scope = NewDisposeScope();
        var before = ones([vocabSize], ScalarType.Bool, device);
        before.narrow(0, firstCodeId, codeCount).fill_(false);
        var at = ones([vocabSize], ScalarType.Bool, device);
        at[eosId] = false;
        _blockedBeforeTarget = before.MoveToOuterDisposeScope();
        _blockedAtTarget = at.MoveToOuterDisposeScope();
    }

    /// <summary>Logit width.</summary>
    public long VocabSize { get; }

    /// <summary>Token id of code 0.</summary>
    public long FirstCodeId { get; }

    /// <summary>Valid codes.</summary>
    public long CodeCount { get; }

    /// <summary>The end token.</summary>
    public long EosId { get; }

    /// <summary>The code ids as a block of the vocabulary: the only head rows that can win before the target.</summary>
    public VocabularyRange CodeRows => new(FirstCodeId, CodeCount);

    /// <summary>Masks logits [B, V] for the next token after <paramref name="codesEmitted"/> of
    /// <paramref name="targetCodes"/> codes → a new tensor.</summary>
    public Tensor Apply(Tensor logits, long codesEmitted, long targetCodes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentOutOfRangeException.ThrowIfNegative(codesEmitted);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codesEmitted, targetCodes);
        if (logits.shape[^1] != VocabSize)
            throw new ArgumentException($"Expected {VocabSize} logits per row, got {logits.shape[^1]}.", nameof(logits));
        var blocked = codesEmitted < targetCodes ? _blockedBeforeTarget : _blockedAtTarget;
        return logits.masked_fill(blocked, double.NegativeInfinity);
    }

    /// <summary>True when <paramref name="tokenId"/> is a valid code token.</summary>
    public bool IsCode(long tokenId) => tokenId >= FirstCodeId && tokenId < FirstCodeId + CodeCount;

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        _blockedBeforeTarget.Dispose();
        _blockedAtTarget.Dispose();
    }
}
