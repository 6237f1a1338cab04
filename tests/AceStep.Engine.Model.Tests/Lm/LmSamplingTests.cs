using AceStep.Engine.Model.Lm;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Lm;

public class LmSamplingTests
{
    // Tiny vocabulary: codes are ids 200..263, EOS is id 7.
    private const long Vocab = 300;
    private const long FirstCode = 200;
    private const long Codes = 64;
    private const long Eos = 7;

    [Fact]
    public void Top_k_of_one_is_argmax()
    {
        using var scope = NewDisposeScope();
        using var sampler = new TokenSampler(Enumerable.Range(0, 50).Select(i => (long)i).ToArray(),
            new LmSamplingOptions { TopK = 1, TopP = 1, Temperature = 1.5 });
        var generator = new TorchSharp.torch.Generator(41);
        var logits = randn([50, Vocab], generator: generator) * 3;
        Assert.Equal(logits.argmax(-1).data<long>().ToArray(), sampler.Sample(logits).data<long>().ToArray());
    }

    [Fact]
    public void Cfg_scale_one_samples_exactly_like_the_conditional_logits()
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(42);
        var c = randn([4, Vocab], generator: generator);
        var u = randn([4, Vocab], generator: generator);
        var options = new LmSamplingOptions { CfgScale = 1 };
        using var a = new TokenSampler([1, 2, 3, 4], options);
        using var b = new TokenSampler([1, 2, 3, 4], options);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(a.Sample(c).data<long>().ToArray(),
                b.Sample(LogitsProcessors.Cfg(c, u, 1.0)).data<long>().ToArray());
        }

        var guided = LogitsProcessors.Cfg(c, u, 2.5);
        Assert.True(guided.allclose(u + (2.5 * (c - u))));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }, [1, 4]).log();
        var kept = LogitsProcessors.TopP(logits, 0.75).isfinite().data<bool>().ToArray();
        Assert.Equal(new[] { true, true, false, false }, kept);
        Assert.Equal(new[] { true, false, false, false }, LogitsProcessors.TopP(logits, 0.1).isfinite().data<bool>().ToArray());
    }

    [Fact]
    public void The_constrained_decoder_emits_only_codes_then_eos_exactly_at_n()
    {
        // Property over 200 random trials: random logits (EOS and non-code tokens often the most likely), random N,
        // random sampling options; before N every token is a valid code, at N it is EOS.
        using var constraint = new AudioCodeConstraint(Vocab, FirstCode, Codes, Eos);
        var random = new Random(43);
        for (var trial = 0; trial < 200; trial++)
        {
            using var scope = NewDisposeScope();
            var n = random.Next(0, 12);
            var options = new LmSamplingOptions
            {
                Temperature = random.NextDouble() * 2,
                TopK = random.Next(0, 3) == 0 ? random.Next(1, 20) : 0,
                TopP = 0.05 + (0.95 * random.NextDouble()),
                CfgScale = random.NextDouble() * 4,
            };
            using var sampler = new TokenSampler([random.Next(), random.Next()], options);
            for (var emitted = 0; emitted <= n; emitted++)
            {
                var c = randn([2, Vocab]) * 5;
                var u = randn([2, Vocab]) * 5;
                c[.., Eos] = 50f;                                                        // EOS wants to win
                var token = sampler.Sample(constraint.Apply(LogitsProcessors.Cfg(c, u, options.CfgScale), emitted, n))
                    .data<long>().ToArray();
                foreach (var t in token)
                {
                    if (emitted < n)
                        Assert.True(constraint.IsCode(t), $"trial {trial}: token {t} before {n} codes");
                    else
                        Assert.Equal(Eos, t);
                }
            }
        }
    }

    [Fact]
    public void The_real_vocabulary_allows_codes_0_to_63999_only()
    {
        using var constraint = new AudioCodeConstraint(217_204);
        using var scope = NewDisposeScope();
        var allowed = constraint.Apply(zeros([1, 217_204]), 0, 10)[0].isfinite();
        Assert.Equal(64_000, allowed.sum().item<long>());
        Assert.True(allowed[151_669].item<bool>());
        Assert.True(allowed[215_668].item<bool>());
        Assert.False(allowed[215_669].item<bool>());
        Assert.False(allowed[151_645].item<bool>());
        var atTarget = constraint.Apply(zeros([1, 217_204]), 10, 10)[0].isfinite();
        Assert.Equal(1, atTarget.sum().item<long>());
        Assert.True(atTarget[151_645].item<bool>());
    }

    [Fact]
    public void Decoding_is_reproducible_per_seed_and_independent_of_the_batch()
    {
        manual_seed(44);
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var constraint = new AudioCodeConstraint(Vocab, FirstCode, Codes, Eos);
        var options = new LmSamplingOptions { CfgScale = 2.0, Temperature = 1.0, TopP = 0.95 };
        long[] promptA = [1, 2, 3, 4, 5];
        long[] promptB = [9, 8];
        long[] negative = [6, 6, 6];

        var first = AudioCodeDecoder.Decode(lm, [promptA, promptB], [negative, negative], [10, 11], 12, options, constraint);
        var again = AudioCodeDecoder.Decode(lm, [promptA, promptB], [negative, negative], [10, 11], 12, options, constraint);
        var alone = AudioCodeDecoder.Decode(lm, [promptA], [negative], [10], 12, options, constraint);
        var otherSeed = AudioCodeDecoder.Decode(lm, [promptA], [negative], [99], 12, options, constraint);

        Assert.Equal(12, first[0].Length);
        Assert.All(first.SelectMany(c => c), k => Assert.InRange(k, 0, Codes - 1));
        Assert.Equal(first, again);
        Assert.Equal(first[0], alone[0]);
        Assert.NotEqual(first[0], otherSeed[0]);
    }

    [Fact]
    public void Guidance_scale_one_decodes_like_the_conditional_prompt_alone()
    {
        manual_seed(45);
        using var lm = new Qwen3CausalLm(TinyLm.Config());
        using var constraint = new AudioCodeConstraint(Vocab, FirstCode, Codes, Eos);
        var plain = AudioCodeDecoder.Decode(lm, [[1, 2, 3]], null, [5], 8,
            new LmSamplingOptions { CfgScale = 1 }, constraint);
        var guidedAtOne = AudioCodeDecoder.Decode(lm, [[1, 2, 3]], [[4, 4, 4, 4, 4]], [5], 8,
            new LmSamplingOptions { CfgScale = 1 }, constraint);
        Assert.Equal(plain, guidedAtOne);
        Assert.Equal(8, plain[0].Length);
    }
}
