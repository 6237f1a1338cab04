using AceStep.Engine.Model.Lm;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Lm;

/// <summary>
/// Phase 2 computes the output head for the code rows only and samples within them; these tests hold that to what the
/// full head with the code mask gives: the same logits for those rows and the same tokens for the same seeds.
/// </summary>
public class CodeRowsHeadTests
{
    // Tiny vocabulary: codes are ids 200..263, EOS is id 7 (as in LmSamplingTests).
    private const long Vocab = 300;
    private const long FirstCode = 200;
    private const long Codes = 64;
    private const long Eos = 7;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Code_row_logits_equal_those_rows_of_the_full_head(bool tied)
    {
        using var dir = new TempDir();
        TinyLm.Write(dir.Path, TinyLm.Config(tied), seed: 61, withLmHead: !tied);
        using var lm = Qwen3CausalLm.Load(dir.Path, new WeightLoadOptions());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = new VocabularyRange(FirstCode, Codes);
        var (ids, mask) = AudioCodeDecoder.LeftPad([[5, 17, 42, 99], [3, 1]]);
        using var full = lm.CreateCache(2, ids.shape[1] + 4);
        using var sliced = lm.CreateCache(2, ids.shape[1] + 4);
        var expected = lm.Prefill(full, ids, mask);
        var actual = lm.Prefill(sliced, ids, mask, rows);
        for (var step = 0; ; step++)
        {
            Assert.Equal([2, Codes], actual.shape);
            var diff = (actual - expected.narrow(1, FirstCode, Codes)).abs().max().item<float>();
            Assert.True(diff == 0, $"step {step}: the code rows differ from the full head's by up to {diff}");
            if (step == 4)
                break;
            var next = tensor(new long[] { FirstCode + step, FirstCode + 60 - step }, [2, 1]);
            expected = lm.Step(full, next);
            actual = lm.Step(sliced, next, rows);
        }
    }

    [Fact]
    public void Rows_outside_the_vocabulary_are_refused()
    {
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var scope = NewDisposeScope();
        using var cache = lm.CreateCache(1, 8);
        var ids = tensor(new long[] { 1, 2, 3 }, [1, 3]);
        // 280 .. 343 runs past the 300-token vocabulary; a block of no rows is no head at all.
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.Prefill(cache, ids, rows: new VocabularyRange(280, 64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.Prefill(cache, ids, rows: new VocabularyRange(10, 0)));
    }

    [Fact]
    public void Sampling_a_block_picks_what_sampling_the_masked_full_vocabulary_picks()
    {
        // 300 random cases (random logits, options and seeds): the block sampler and the full-width sampler, each with
        // its own generators seeded alike, draw the same token ids.
        using var constraint = new AudioCodeConstraint(Vocab, FirstCode, Codes, Eos);
        var random = new Random(62);
        for (var trial = 0; trial < 300; trial++)
        {
            using var scope = NewDisposeScope();
            var options = new LmSamplingOptions
            {
                Temperature = random.Next(0, 5) == 0 ? 0 : random.NextDouble() * 2,
                TopK = random.Next(0, 3) == 0 ? random.Next(1, 80) : 0,
                TopP = 0.05 + (0.95 * random.NextDouble()),
            };
            long[] seeds = [random.Next(), random.Next()];
            using var blockSampler = new TokenSampler(seeds, options);
            using var fullSampler = new TokenSampler(seeds, options);
            var logits = randn([2, Vocab]) * 4;
            logits[.., Eos] = 50f;                                                       // a blocked token wants to win
            for (var draw = 0; draw < 3; draw++)
            {
                var expected = fullSampler.Sample(constraint.Apply(logits, 0, 1)).data<long>().ToArray();
                var actual = blockSampler.Sample(logits.narrow(1, FirstCode, Codes), constraint.CodeRows, Vocab).data<long>().ToArray();
                Assert.True(expected.SequenceEqual(actual), $"trial {trial} draw {draw} ({options}): {string.Join(",", actual)} vs {string.Join(",", expected)}");
            }
        }
    }

    [Fact]
    public void A_block_of_the_wrong_width_is_refused()
    {
        using var sampler = new TokenSampler([1], new LmSamplingOptions());
        using var scope = NewDisposeScope();
        // 63 logits for a 64-code block.
        Assert.Throws<ArgumentException>(() => sampler.Sample(zeros([1, Codes - 1]), new VocabularyRange(FirstCode, Codes), Vocab));
    }

    [Theory]
    [InlineData(2.0, 0.85, 0.9, 0)]
    [InlineData(1.0, 1.0, 1.0, 0)]
    [InlineData(3.0, 0.0, 0.9, 0)]
    [InlineData(2.0, 1.2, 0.95, 20)]
    public void Decoding_over_the_code_rows_emits_the_codes_of_the_masked_full_head(double cfg, double temperature, double topP, int topK)
    {
        // 2 results × 150 codes per case, against the loop over full logits with the code mask (the decoder before the
        // head was sliced), with the same seeds.
        manual_seed(63);
        using var lm = new Qwen3CausalLm(TinyLm.Config(tied: false));
        // The default initialisation gives logits so far apart that every draw is the same code; a smaller head gives
        // the sampler real choices (a spread of a few units), which is what the comparison needs.
        using (no_grad())
            lm.named_parameters().Single(p => p.name == "lm_head.weight").parameter.mul_(0.05);
        using var constraint = new AudioCodeConstraint(Vocab, FirstCode, Codes, Eos);
        var options = new LmSamplingOptions { CfgScale = cfg, Temperature = temperature, TopP = topP, TopK = topK };
        long[][] conditional = [[1, 2, 3, 4, 5], [9, 8]];
        long[][] unconditional = [[6, 6, 6], [6, 6, 6]];
        long[] seeds = [10, 11];
        const int target = 150;

        var actual = AudioCodeDecoder.Decode(lm, conditional, unconditional, seeds, target, options, constraint);
        var expected = MaskedFullHeadDecode(lm, conditional, unconditional, seeds, target, options, constraint);

        Assert.Equal(expected, actual);
        if (temperature > 0)
            Assert.True(actual[0].Distinct().Count() > 10, $"the decode drew only {actual[0].Distinct().Count()} distinct codes");
    }

    [Fact]
    public void No_codes_asked_gives_no_codes()
    {
        manual_seed(64);
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var constraint = new AudioCodeConstraint(Vocab, FirstCode, Codes, Eos);
        var codes = AudioCodeDecoder.Decode(lm, [[1, 2, 3]], [[4]], [5], 0, new LmSamplingOptions(), constraint);
        Assert.Empty(Assert.Single(codes));
    }

    // The reference: full-vocabulary logits every step, guided, masked to the codes, sampled over the full width.
    private static long[][] MaskedFullHeadDecode(Qwen3CausalLm lm, long[][] conditional, long[][] unconditional, long[] seeds,
        int target, LmSamplingOptions options, AudioCodeConstraint constraint)
    {
        var results = conditional.Length;
        var guided = options.CfgScale != 1.0;
        var prompts = guided ? conditional.Concat(unconditional).ToList() : conditional.ToList();
        var codes = Enumerable.Range(0, results).Select(_ => new long[target]).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = AudioCodeDecoder.LeftPad(prompts);
        using var cache = lm.CreateCache(prompts.Count, ids.shape[1] + target);
        using var sampler = new TokenSampler(seeds, options);
        var logits = lm.Prefill(cache, ids, mask);
        for (var emitted = 0; emitted < target; emitted++)
        {
            var cond = logits.narrow(0, 0, results);
            var g = guided ? LogitsProcessors.Cfg(cond, logits.narrow(0, results, results), options.CfgScale) : cond;
            var tokens = sampler.Sample(constraint.Apply(g, emitted, target));
            var chosen = tokens.data<long>().ToArray();
            for (var r = 0; r < results; r++)
                codes[r][emitted] = chosen[r] - FirstCode;
            logits = lm.Step(cache, (guided ? cat([tokens, tokens], 0) : tokens).unsqueeze(1));
        }

        return codes;
    }
}
