using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Text.Prompts;
using AceStep.Engine.Text.Tokenization;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines.Planning;

/// <summary>What the planner is asked (spec §7.2–7.4).</summary>
/// <param name="Caption">The user's caption (the user turn's <c># Caption</c>).</param>
/// <param name="Lyrics">The lyrics as the model sees them (<c>[Instrumental]</c> when none).</param>
/// <param name="Forced">CoT fields the request already gives, written verbatim instead of generated.</param>
/// <param name="DurationSeconds">Target length: the code phase writes ⌊5·duration⌋ codes.</param>
/// <param name="NegativePrompt">The user turn of the code phase's unconditional prompt; null = the default
/// <c>NO USER INPUT</c>.</param>
public sealed record LmPlanRequest(string Caption, string Lyrics, CotMetadata Forced, double DurationSeconds, string? NegativePrompt = null);

/// <summary>The planner's answer.</summary>
/// <param name="Metadata">The CoT fields (forced ones as given, the rest generated).</param>
/// <param name="CotText">The block the code phase was prompted with.</param>
/// <param name="Codes">Per result, its audio code indices (0 … 63 999), exactly ⌊5·duration⌋ of them.</param>
public sealed record LmPlan(CotMetadata Metadata, string CotText, IReadOnlyList<long[]> Codes);

/// <summary>
/// The 5 Hz LM planner (spec §7): phase 1 writes the CoT metadata once per job under the
/// <see cref="MetadataConstraint"/> (no guidance, the first result's seed); phase 2 prompts with that block and writes
/// every result's audio codes in one batch, each with its own seed, guided by the negative prompt (CFG on logits) and
/// ended by EOS exactly at the code count. As upstream's <c>generate_with_stop_condition</c>, phase 1 is skipped when
/// bpm, key, time signature and duration are all forced; the phase-2 block then holds those four fields only.
/// Holds the LM (not owned), its tokenizer and the per-vocabulary masks.
/// </summary>
public sealed class LmPlanner : IDisposable
{
    /// <summary>Codes per second of audio (the LM's 5 Hz).</summary>
    public const int CodesPerSecond = 5;

    /// <summary>Valid codes (the FSQ codebook), spec §7.1.</summary>
    public const int CodebookSize = 64_000;

    // Phase 1 is typically this many tokens; used only to split the progress bar between the phases.
    private const double TypicalCotTokens = 100;

    private readonly Qwen3CausalLm _model;
    private readonly QwenLmTokenizer _tokenizer;
    private readonly LmSamplingOptions _sampling;
    private readonly CaptionTokenClasses _classes;
    private readonly MetadataGrammarBuilder _grammars;
    private readonly AudioCodeConstraint _codes;

    /// <summary>Prepares the planner for an LM and its tokenizer.</summary>
    /// <param name="model">The LM (not owned).</param>
    /// <param name="tokenizer">The tokenizer from the LM's directory (with the audio-code tokens).</param>
    /// <param name="sampling">Sampling options; null = the spec's defaults.</param>
    /// <param name="values">Allowed CoT values; null = the spec's, with the task API's vocal languages.</param>
    /// <exception cref="ArgumentException">The tokenizer has no audio codes or no EOS, or does not fit the LM.</exception>
    public LmPlanner(Qwen3CausalLm model, QwenTokenizer tokenizer, LmSamplingOptions? sampling = null, MetadataGrammarValues? values = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = new QwenLmTokenizer(tokenizer);
        _sampling = sampling ?? new LmSamplingOptions();
        _sampling.Validate();
        var vocab = model.Config.VocabSize;
        if (tokenizer.VocabularySize > vocab)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} ids, the LM only {vocab} logits.", nameof(tokenizer));
        if (tokenizer.AudioCodeCount == 0)
            throw new ArgumentException($"The tokenizer in {tokenizer.Directory} has no audio-code tokens: not an ACE-Step LM tokenizer.", nameof(tokenizer));
        var eos = tokenizer.EosTokenId ?? throw new ArgumentException($"The tokenizer in {tokenizer.Directory} names no EOS token.", nameof(tokenizer));

        var device = model.parameters().First().device;
        _classes = new CaptionTokenClasses(_tokenizer, vocab);
        try
        {
            _grammars = new MetadataGrammarBuilder(_tokenizer, values ?? new MetadataGrammarValues { Languages = VocalLanguages.All }, _classes);
            _codes = new AudioCodeConstraint(vocab, tokenizer.AudioCodeTokenId(0), Math.Min(CodebookSize, tokenizer.AudioCodeCount), eos, device);
        }
        catch
        {
            _classes.Dispose();
            throw;
        }
    }

    /// <summary>Codes a duration asks for: ⌊5·seconds⌋ (upstream's <c>int(duration·5)</c>).</summary>
    public static long TargetCodes(double seconds) => (long)Math.Floor((seconds * CodesPerSecond) + 1e-9);

    /// <summary>Plans one job: the CoT metadata, then the codes of every result.</summary>
    /// <param name="request">Caption, lyrics, forced fields, duration and negative prompt.</param>
    /// <param name="seeds">One seed per result; phase 1 uses the first.</param>
    /// <param name="progress">Called with the fraction 0–1 of planning done.</param>
    /// <param name="cancellationToken">Checked before every token.</param>
    public LmPlan Plan(LmPlanRequest request, IReadOnlyList<uint> seeds, Action<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
            throw new ArgumentException("At least one seed is required.", nameof(seeds));
        var target = TargetCodes(request.DurationSeconds);
        if (target <= 0)
            throw new ArgumentOutOfRangeException(nameof(request), request.DurationSeconds, "The duration is too short for one audio code (0.2 s).");

        using var noGrad = no_grad();
        var cotShare = TypicalCotTokens / (TypicalCotTokens + target);
        progress?.Invoke(0);

        // Phase 1: the CoT block, once per job — unless the request gives all four of upstream's has_all_metas fields.
        CotMetadata metadata;
        if (SkipsMetadataPhase(request.Forced))
        {
            metadata = SkippedPhaseMetadata(request.Forced);
        }
        else
        {
            var grammar = _grammars.Build(request.Forced);
            var constraint = new MetadataConstraint(grammar);
            var prompt = _tokenizer.EncodePrompt(PlannerPrompts.Generation(request.Caption, request.Lyrics));
            var cotTokens = MetadataDecoder.Decode(_model, prompt, constraint, grammar.MaxTokens, seeds[0], _sampling,
                written => progress?.Invoke(cotShare * Math.Min(1.0, written / TypicalCotTokens)), cancellationToken);
            metadata = CotMetadata.Parse(_tokenizer.Decode(cotTokens));
        }

        var cotText = metadata.ToCotText();
        progress?.Invoke(cotShare);

        // Phase 2: the codes of every result in one guided batch.
        var conditional = _tokenizer.EncodePrompt(PlannerPrompts.Codes(request.Caption, request.Lyrics, cotText));
        var unconditional = _tokenizer.EncodePrompt(PlannerPrompts.UnconditionalCodes(request.NegativePrompt ?? PlannerPrompts.DefaultNegativePrompt));
        var codes = AudioCodeDecoder.Decode(_model,
            Enumerable.Repeat(conditional, seeds.Count).ToList(),
            _sampling.CfgScale == 1.0 ? null : Enumerable.Repeat(unconditional, seeds.Count).ToList(),
            seeds.Select(s => (long)s).ToList(), target, _sampling, _codes,
            written => progress?.Invoke(cotShare + ((1 - cotShare) * written / target)), cancellationToken);
        return new LmPlan(metadata, cotText, codes);
    }

    /// <summary>
    /// Whether phase 1 is skipped: upstream's <c>has_all_metas</c> — bpm, key, time signature and duration all given.
    /// </summary>
    public static bool SkipsMetadataPhase(CotMetadata forced)
    {
        ArgumentNullException.ThrowIfNull(forced);
        return forced.Bpm is not null && forced.KeyScale is not null && forced.TimeSignature is not null && forced.Duration is not null;
    }

    /// <summary>The metadata of a skipped phase 1: the four forced fields alone (upstream's <c>user_metadata</c>), whose
    /// <see cref="CotMetadata.ToCotText"/> is the code phase's think block.</summary>
    public static CotMetadata SkippedPhaseMetadata(CotMetadata forced)
    {
        ArgumentNullException.ThrowIfNull(forced);
        return new CotMetadata { Bpm = forced.Bpm, Duration = forced.Duration, KeyScale = forced.KeyScale, TimeSignature = forced.TimeSignature };
    }

    /// <summary>Frees the masks (not the LM).</summary>
    public void Dispose()
    {
        _codes.Dispose();
        _classes.Dispose();
    }
}
