using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Qwen;
using AceStep.Engine.Model.Sampling;
using AceStep.Engine.Model.Tests.Generation;
using AceStep.Engine.Model.Tests.Weights;
using AceStep.Engine.Model.Weights;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Compact;

/// <summary>
/// The DiT and text encoder with their linear layers held in bf16 (the compact memory mode, and bf16 matrix products on
/// CPUs that have them) against the same checkpoints in fp32: a short generation lands close to the fp32 latents.
/// </summary>
public sealed class CompactDitTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _dit;
    private readonly string _qwen;

    public CompactDitTests()
    {
        _dit = TinyCheckpoints.WriteDit(Path.Combine(_dir.Path, "acestep-v15-base"), TinyCheckpoints.DitConfig(), seed: 31);
        _qwen = TinyCheckpoints.WriteQwen(Path.Combine(_dir.Path, "Qwen3-Embedding-0.6B"), TinyCheckpoints.QwenConfig(), seed: 32);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_generation_with_bf16_linear_layers_stays_close_to_fp32(bool matmul)
    {
        using var scope = NewDisposeScope();
        var plain = Generate(null);
        var held = Generate(new WeightHolding.BFloat16Tensor(matmul));
        var error = ProjectionTests.RelativeError(plain, held);
        // bf16 rounds each weight (and, with matmul, each input) to 8 bits of mantissa: ~0.4 % per product; through the
        // tiny DiT's layers and 4 steps that stays within a few percent of the latents' range — and well above zero.
        Assert.True(error is > 0 and < 5e-2, $"bf16 (matmul {matmul}): latents differ from fp32 by {error:E2} of their largest value");
    }

    private Tensor Generate(WeightHolding? holding)
    {
        var options = new WeightLoadOptions { Holding = holding };
        using var model = AceStepConditionGenerationModel.Load(_dit, options);
        using var text = Qwen3TextModel.Load(_qwen, options);
        using var silence = SilenceLatent.Load(Path.Combine(_dit, AceStepConditionGenerationModel.SilenceLatentFile));
        if (holding is not null)
            Assert.All(WeightPacking.Find(model).Values, p => Assert.Equal(holding, p.Holding));
        using var scope = NewDisposeScope();
        var reference = silence[.., 0..750, ..].contiguous();
        var condition = TextConditioning.Encode(text, [[10, 11, 12, 13, 14]], [[20, 21, 22]], 0, reference, [0]);
        var request = new LatentGenerationRequest
        {
            Condition = condition,
            Target = new TargetInputs(silence[.., 0..60, ..].contiguous(), ones(1, 60), [false]),
            Seeds = [7],
            Schedule = TimestepSchedule.Base(4, shift: 3.0),
            Guidance = Guidance.Apg(3.0),
        };
        return LatentGenerator.Generate(model, silence, request).MoveToOuterDisposeScope();
    }
}
