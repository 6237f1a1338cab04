using System.Text.RegularExpressions;
using AceStep.Contracts.Tasks;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Pipelines.Planning;
using AceStep.Engine.Text.Tests.Tokenization;
using static TorchSharp.torch;

namespace AceStep.Engine.Pipelines.Tests.Planner;

/// <summary>The phase-1 grammar on a real (tiny) Qwen tokenizer: whatever the logits, the CoT block is well formed.</summary>
public sealed partial class MetadataConstraintTests : IDisposable
{
    private const long Vocab = TinyQwenTokenizer.FirstAudioCode + TinyQwenTokenizer.AudioCodes;

    private readonly TinyQwenTokenizer _files = new();
    private readonly QwenLmTokenizer _tokenizer;
    private readonly CaptionTokenClasses _classes;

    public MetadataConstraintTests()
    {
        _tokenizer = new QwenLmTokenizer(_files.Load());
        _classes = new CaptionTokenClasses(_tokenizer, Vocab);
    }

    public void Dispose()
    {
        _classes.Dispose();
        _files.Dispose();
    }

    private MetadataGrammar Grammar(CotMetadata forced, int maxCaptionTokens = 256) =>
        new MetadataGrammarBuilder(_tokenizer, new MetadataGrammarValues { Languages = VocalLanguages.All, MaxCaptionTokens = maxCaptionTokens }, _classes)
            .Build(forced);

    // Writes the whole block from random logits: every step draws fresh logits, masks them and takes the most likely
    // token left (with iid logits that is a uniform draw among the allowed tokens).
    private string Run(MetadataGrammar grammar, long seed)
    {
        var constraint = new MetadataConstraint(grammar);
        using var generator = new Generator((ulong)seed);
        using var sampler = new TokenSampler([seed], new LmSamplingOptions { Temperature = 0 });
        while (!constraint.IsComplete)
        {
            Assert.True(constraint.Emitted.Count < grammar.MaxTokens, "The block must close within the grammar's bound.");
            using var scope = NewDisposeScope();
            var logits = randn([1, Vocab], generator: generator) * 4;
            var token = sampler.Sample(constraint.Apply(logits)).item<long>();
            Assert.True(constraint.Allows(token));
            constraint.Advance(token);
        }

        return _tokenizer.Decode([.. constraint.Emitted]);
    }

    [GeneratedRegex(@"\A<think>\nbpm: (?<bpm>\d+)\ncaption:(?<caption>[^\n]*\S[^\n]*(\n [^\n]*\S[^\n]*)*)\nduration: (?<duration>\d+)\nkeyscale: (?<key>[^\n]+)\nlanguage: (?<language>[^\n]+)\ntimesignature: (?<ts>\d+)\n</think>\z")]
    private static partial Regex Block();

    [Fact]
    public void Random_logits_always_give_a_block_with_every_field_in_order_and_only_allowed_values()
    {
        var keys = MetadataGrammarValues.AllKeyScales.ToHashSet(StringComparer.Ordinal);
        for (var trial = 0; trial < 24; trial++)
        {
            var forced = trial % 3 == 0 ? new CotMetadata() : new CotMetadata { Duration = 30, Language = "en" };
            var text = Run(Grammar(forced, maxCaptionTokens: trial % 2 == 0 ? 8 : 24), seed: 1000 + trial);

            var match = Block().Match(text);
            Assert.True(match.Success, $"Trial {trial} wrote a malformed block: {text}");
            Assert.InRange(int.Parse(match.Groups["bpm"].Value), 30, 300);
            Assert.InRange(int.Parse(match.Groups["duration"].Value), 10, 600);
            Assert.Contains(match.Groups["key"].Value, keys);
            Assert.Contains(match.Groups["language"].Value, VocalLanguages.All);
            Assert.Contains(int.Parse(match.Groups["ts"].Value), new[] { 2, 3, 4, 6 });
            var parsed = CotMetadata.Parse(text);
            Assert.NotNull(parsed.Caption);
            Assert.Equal(int.Parse(match.Groups["bpm"].Value), parsed.Bpm);
        }
    }

    [Fact]
    public void Forced_values_appear_verbatim_whatever_the_logits()
    {
        var forced = new CotMetadata { Bpm = 97, Duration = 7, KeyScale = "F# minor", Language = "yue", TimeSignature = 6 };
        for (var trial = 0; trial < 2; trial++)
        {
            var text = Run(Grammar(forced, maxCaptionTokens: 10), seed: trial);
            Assert.Contains("\nbpm: 97\n", text, StringComparison.Ordinal);
            Assert.Contains("\nduration: 7\n", text, StringComparison.Ordinal);     // below the generated minimum of 10: forced anyway
            Assert.Contains("\nkeyscale: F# minor\n", text, StringComparison.Ordinal);
            Assert.Contains("\nlanguage: yue\n", text, StringComparison.Ordinal);
            Assert.EndsWith("\ntimesignature: 6\n</think>", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_forced_caption_is_written_on_one_line_and_nothing_is_sampled()
    {
        var forced = new CotMetadata { Bpm = 120, Caption = "soft rain\non tin roofs", Duration = 30, KeyScale = "C major", Language = "en", TimeSignature = 4 };
        var constraint = new MetadataConstraint(Grammar(forced));
        while (!constraint.IsComplete)
        {
            Assert.NotNull(constraint.ForcedToken);
            constraint.Advance(constraint.ForcedToken!.Value);
        }

        Assert.Equal("<think>\nbpm: 120\ncaption: soft rain on tin roofs\nduration: 30\nkeyscale: C major\nlanguage: en\ntimesignature: 4\n</think>",
            _tokenizer.Decode([.. constraint.Emitted]));
    }

    [Fact]
    public void A_caption_keeps_to_its_token_budget_and_may_fold_onto_indented_lines()
    {
        var constraint = new MetadataConstraint(Grammar(new CotMetadata(), maxCaptionTokens: 7));
        void Write(string text)
        {
            foreach (var id in _tokenizer.Encode(text))
                constraint.Advance(id);
        }

        Write("<think>\nbpm: 88\ncaption:");
        Write(" a\n");                                         // 3 tokens: space, a, line end
        Assert.True(constraint.Allows(_classes.IndentId));      // 4 left: a continuation fits
        Assert.True(constraint.Allows('d'));                    // or "duration" starts
        Write(" ");
        Assert.False(constraint.Allows(_classes.NewlineId));    // a continuation line cannot stay blank
        Write("b");
        Write("c");
        Assert.Equal([_classes.NewlineId], Left(constraint));  // one token left: only the line end
        Write("\n");
        Assert.Equal("duration", constraint.CurrentField);
        Assert.False(constraint.Allows(_classes.IndentId));
    }

    [Fact]
    public void A_caption_line_cannot_be_blank_even_when_the_budget_runs_out()
    {
        var constraint = new MetadataConstraint(Grammar(new CotMetadata(), maxCaptionTokens: 2));
        foreach (var id in _tokenizer.Encode("<think>\nbpm: 88\ncaption:"))
            constraint.Advance(id);
        Assert.False(constraint.Allows(' '));                   // two left and nothing visible: a space would leave a blank caption
        Assert.False(constraint.Allows(_classes.NewlineId));
        Assert.True(constraint.Allows('a'));
    }

    [Fact]
    public void Tokens_outside_the_grammar_are_refused()
    {
        // Inputs tried: an audio code, EOS and a digit where the block must open with <think>; a letter in the bpm.
        var constraint = new MetadataConstraint(Grammar(new CotMetadata()));
        Assert.Throws<InvalidOperationException>(() => constraint.Advance(TinyQwenTokenizer.FirstAudioCode));
        Assert.Throws<InvalidOperationException>(() => constraint.Advance(TinyQwenTokenizer.ImEnd));
        Assert.Throws<InvalidOperationException>(() => constraint.Advance('7'));
        foreach (var id in _tokenizer.Encode("<think>\nbpm: "))
            constraint.Advance(id);
        Assert.Equal("bpm", constraint.CurrentField);
        Assert.False(constraint.Allows('x'));
        Assert.False(constraint.Allows('0'));                   // no bpm starts with 0
        constraint.Advance('3');
        Assert.False(constraint.Allows('\n'));                  // 3 alone is below 30
    }

    [Fact]
    public void Masking_keeps_the_logits_of_allowed_tokens_and_blocks_the_rest()
    {
        var constraint = new MetadataConstraint(Grammar(new CotMetadata()));
        foreach (var id in _tokenizer.Encode("<think>\nbpm: 1"))
            constraint.Advance(id);
        using var logits = arange(Vocab, dtype: ScalarType.Float32).unsqueeze(0);
        using var masked = constraint.Apply(logits);
        var finite = masked.isfinite().squeeze(0).nonzero().squeeze(1).data<long>().ToArray();
        Assert.Equal("0123456789".Select(c => (long)c), finite);   // 10–199: any digit follows a leading 1
        Assert.Equal('7', masked[0, '7'].item<float>());
    }

    private static long[] Left(MetadataConstraint constraint) =>
        [.. Enumerable.Range(0, (int)Vocab).Where(id => constraint.Allows(id)).Select(id => (long)id)];
}
