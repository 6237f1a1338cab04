using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Sampling;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Generation;

public sealed class LatentGeneratorTests : IDisposable
{
    private const long PadId = 0;
    private readonly TempDir _dir = new();
    private readonly AceStepConditionGenerationModel _model;
    private readonly Qwen3TextModel _text;
    private readonly Tensor _silence;

    public LatentGeneratorTests()
    {
        // Both checkpoints are written in the official layout and loaded the way the engine loads them.
        var dit = TinyCheckpoints.WriteDit(Path.Combine(_dir.Path, "acestep-v15-base"), TinyCheckpoints.DitConfig(), seed: 21);
        var qwen = TinyCheckpoints.WriteQwen(Path.Combine(_dir.Path, "Qwen3-Embedding-0.6B"), TinyCheckpoints.QwenConfig(), seed: 22);
        _model = AceStepConditionGenerationModel.Load(dit, new WeightLoadOptions());
        _text = Qwen3TextModel.Load(qwen, new WeightLoadOptions());
        _silence = SilenceLatent.Load(Path.Combine(dit, AceStepConditionGenerationModel.SilenceLatentFile));
    }

    public void Dispose()
    {
        _model.Dispose();
        _text.Dispose();
        _silence.Dispose();
        _dir.Dispose();
    }

    private ConditionInputs Condition(int batch, int[]? caption = null)
    {
        var captions = Enumerable.Range(0, batch).Select(b => (IReadOnlyList<int>)(caption ?? [10 + b, 11, 12, 13, 14])).ToArray();
        var lyrics = Enumerable.Range(0, batch).Select(b => (IReadOnlyList<int>)[20, 21 + b, 22]).ToArray();
        var reference = _silence[.., 0..750, ..].expand(batch, 750, 64).contiguous();
        return TextConditioning.Encode(_text, captions, lyrics, PadId, reference, Enumerable.Range(0, batch).ToArray());
    }

    private TargetInputs TextToMusic(int batch, int frames) => new(
        _silence[.., 0..frames, ..].expand(batch, frames, 64).contiguous(),
        ones(batch, frames),
        Enumerable.Repeat(false, batch).ToArray());

    [Fact]
    public void Text_to_music_gives_latents_of_the_target_length_and_the_same_seed_gives_the_same_latents()
    {
        using var scope = NewDisposeScope();
        var steps = new List<int>();
        var request = new LatentGenerationRequest
        {
            Condition = Condition(2),
            Target = TextToMusic(2, 130),
            Seeds = [7, 8],
            Schedule = TimestepSchedule.Base(4, shift: 3.0),
            Guidance = Guidance.Apg(3.0),
            Progress = (step, total, _) => steps.Add(step),
        };
        var first = LatentGenerator.Generate(_model, _silence, request);
        var again = LatentGenerator.Generate(_model, _silence, request with { Progress = null });
        var other = LatentGenerator.Generate(_model, _silence, request with { Seeds = [9, 8], Progress = null });

        Assert.Equal([2L, 130, 64], first.shape);
        Assert.False(first.isnan().any().item<bool>());
        Assert.True(Exact.Same(first, again), "Same seeds, same latents.");
        Assert.False(first[0].allclose(other[0]), "Another seed gives another result.");
        Assert.True(Exact.Same(first[1], other[1]), "Each result has its own noise generator.");
        Assert.Equal([1, 2, 3, 4], steps);
    }

    [Fact]
    public void A_batched_cfg_call_equals_the_conditional_and_unconditional_calls_made_apart()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var set = _model.PrepareCondition(Condition(1), TextToMusic(1, 40), _silence);
        set.SetUnconditional(_model.NullCondition(set.EncoderStates).DetachFromDisposeScope());
        var x = randn(1, 40, 64);
        using var velocity = new DitVelocity(_model.Decoder, set);
        var both = velocity.Predict(x, 0.6, needsUnconditional: true, CancellationToken.None);
        Assert.Equal(1, velocity.DecoderCalls);

        var t = full([1], 0.6f);
        var conditional = _model.Decoder.Forward(x, t, t, set.EncoderStates, set.Context);
        var unconditional = _model.Decoder.Forward(x, t, t, set.Unconditional!, set.Context);
        Assert.True(both.Conditional.allclose(conditional, rtol: 0, atol: 1e-5));
        Assert.True(both.Unconditional!.allclose(unconditional, rtol: 0, atol: 1e-5));
        set.Dispose();
    }

    [Fact]
    public void A_negative_prompt_adds_its_own_term_and_the_unconditional_branch_stays_the_null_condition()
    {
        using var scope = NewDisposeScope();
        var request = new LatentGenerationRequest
        {
            Condition = Condition(1),
            Target = TextToMusic(1, 20),
            Seeds = [3],
            Schedule = TimestepSchedule.Base(2),
            Guidance = Guidance.PlainCfg(4.0),
        };
        var withNull = LatentGenerator.Generate(_model, _silence, request);
        var withNegative = LatentGenerator.Generate(_model, _silence, request with { NegativeCondition = Condition(1, [30, 31]) });
        Assert.False(withNull.allclose(withNegative), "The negative prompt must change the guided result.");

        // Weight 0 removes the negative term and leaves exactly upstream's guidance against null_condition_emb.
        var weightless = LatentGenerator.Generate(_model, _silence,
            request with { Guidance = Guidance.PlainCfg(4.0, negativeWeight: 0.0), NegativeCondition = Condition(1, [30, 31]) });
        Assert.True(weightless.allclose(withNull, rtol: 0, atol: 1e-6), "Without its term the negative prompt must not touch the null branch.");

        var unguided = LatentGenerator.Generate(_model, _silence, request with { Guidance = null, NegativeCondition = Condition(1, [30, 31]) });
        var scaleOne = LatentGenerator.Generate(_model, _silence, request with { Guidance = Guidance.PlainCfg(1.0), NegativeCondition = Condition(1, [30, 31]) });
        Assert.True(Exact.Same(unguided, scaleOne), "Without guidance the negative prompt is ignored.");
    }

    [Theory]
    [InlineData(5, 1)] // as long as the caption: conditional, null and negative rows in one call
    [InlineData(2, 2)] // another length: the negative row runs as its own call
    public void The_three_rows_of_a_negative_prompt_equal_the_calls_made_apart(int negativeTokens, int calls)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var set = _model.PrepareCondition(Condition(1), TextToMusic(1, 40), _silence);
        set.SetUnconditional(_model.NullCondition(set.EncoderStates).DetachFromDisposeScope());
        var negative = _model.Encoder.Forward(Condition(1, [.. Enumerable.Range(30, negativeTokens)])).Hidden;
        set.SetNegative(negative.DetachFromDisposeScope());
        var x = randn(1, 40, 64);
        using var velocity = new DitVelocity(_model.Decoder, set);
        var rows = velocity.Predict(x, 0.6, needsUnconditional: true, CancellationToken.None);
        Assert.Equal(calls, velocity.DecoderCalls);

        var t = full([1], 0.6f);
        Assert.True(rows.Conditional.allclose(_model.Decoder.Forward(x, t, t, set.EncoderStates, set.Context), rtol: 0, atol: 1e-5));
        Assert.True(rows.Unconditional!.allclose(_model.Decoder.Forward(x, t, t, set.Unconditional!, set.Context), rtol: 0, atol: 1e-5));
        Assert.True(rows.Negative!.allclose(_model.Decoder.Forward(x, t, t, set.Negative!, set.Context), rtol: 0, atol: 1e-5));
        set.Dispose();
    }

    [Fact]
    public void A_turbo_checkpoint_ignores_guidance()
    {
        using var dir = new TempDir();
        var config = TinyCheckpoints.DitConfig() with { IsTurbo = true };
        TinyCheckpoints.WriteDit(dir.Path, config, seed: 21);
        using var turbo = AceStepConditionGenerationModel.Load(dir.Path, new WeightLoadOptions());
        using var scope = NewDisposeScope();
        var request = new LatentGenerationRequest
        {
            Condition = Condition(1),
            Target = TextToMusic(1, 20),
            Seeds = [3],
            Schedule = TimestepSchedule.Turbo(3.0),
        };
        var plain = LatentGenerator.Generate(turbo, _silence, request);
        var guided = LatentGenerator.Generate(turbo, _silence, request with { Guidance = Guidance.Apg(7.0) });
        Assert.True(Exact.Same(plain, guided));
    }

    [Fact]
    public void A_cover_uses_the_source_codes_and_switches_to_text_only_at_the_cover_scale()
    {
        using var scope = NewDisposeScope();
        manual_seed(30);
        var source = randn(1, 30, 64);
        var cover = new TargetInputs(source, ones(1, 30), [true]);
        var request = new LatentGenerationRequest
        {
            Condition = Condition(1),
            Target = cover,
            Seeds = [5],
            Schedule = TimestepSchedule.Base(4),
            NonCoverCondition = Condition(1, [40, 41, 42]),
        };
        var full = LatentGenerator.Generate(_model, _silence, request);
        var half = LatentGenerator.Generate(_model, _silence, request with { CoverConditioningScale = 0.5 });
        var asRepaintSource = LatentGenerator.Generate(_model, _silence, request with { Target = cover with { IsCover = [false] } });
        Assert.False(full.allclose(half), "Switching to the text-only condition half-way must change the result.");
        Assert.False(full.allclose(asRepaintSource), "A cover reads the source's codes, not the raw latents.");
        Assert.Throws<ArgumentException>(() => LatentGenerator.Generate(_model, _silence,
            request with { CoverConditioningScale = 0.5, NonCoverCondition = null }));
    }

    [Fact]
    public void Cancelling_stops_between_steps()
    {
        using var scope = NewDisposeScope();
        using var cts = new CancellationTokenSource();
        var request = new LatentGenerationRequest
        {
            Condition = Condition(1),
            Target = TextToMusic(1, 20),
            Seeds = [1],
            Schedule = TimestepSchedule.Base(10),
            Progress = (step, _, _) =>
            {
                if (step == 2)
                    cts.Cancel();
            },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => LatentGenerator.Generate(_model, _silence, request, cts.Token));
    }

    [Fact]
    public void Context_holds_the_source_then_the_chunk_mask()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        var source = randn(1, 10, 64);
        var mask = tensor(new float[] { 0, 0, 1, 1, 1, 1, 0, 0, 0, 0 }, [1, 10]);
        using var set = _model.PrepareCondition(Condition(1), new TargetInputs(source, mask, [false]), _silence);
        Assert.True(Exact.Same(set.Context[.., .., 0..64], source));
        Assert.True(set.Context[0, 3, 64..].eq(1).all().item<bool>());
        Assert.True(set.Context[0, 0, 64..].eq(0).all().item<bool>());
    }
}
