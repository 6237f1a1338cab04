using AceStep.Engine.Model.AudioCodes;
using AceStep.Engine.Model.Generation;
using AceStep.Engine.Model.Tests.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.AudioCodes;

public class AudioCodesTests
{
    [Fact]
    public void Latents_not_a_multiple_of_five_frames_are_padded_with_silence_not_zeros()
    {
        manual_seed(7);
        using var tokenizer = new AudioTokenizer(TinyCheckpoints.DitConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = randn(1, 12, 64);
        var silence = randn(1, 10, 64);
        var (quantized, indices) = tokenizer.Forward(latents, silence);
        Assert.Equal([1L, 3, 32], quantized.shape);
        Assert.Equal([1L, 3, 1], indices.shape);
        var manual = tokenizer.Forward(cat([latents, silence[.., 0..3, ..]], dim: 1), silence);
        Assert.True(Exact.Same(manual.Indices, indices));
        var zeroPadded = tokenizer.Forward(cat([latents, zeros(1, 3, 64)], dim: 1), silence);
        Assert.False(zeroPadded.Quantized.allclose(quantized), "Padding must come from the silence latent.");
    }

    [Fact]
    public void Quantized_output_is_what_its_indices_decode_to()
    {
        manual_seed(8);
        using var tokenizer = new AudioTokenizer(TinyCheckpoints.DitConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (quantized, indices) = tokenizer.Forward(randn(2, 25, 64) * 3, zeros(1, 5, 64));
        Assert.True(quantized.allclose(tokenizer.Quantizer.FromIndices(indices), rtol: 0, atol: 1e-6));
        Assert.True(indices.min().item<long>() >= 0 && indices.max().item<long>() < 64_000);
    }

    [Fact]
    public void Each_five_frame_group_is_pooled_on_its_own()
    {
        manual_seed(9);
        using var pooler = new AttentionPooler(TinyCheckpoints.DitConfig().StackSizes, layers: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var groups = randn(1, 3, 5, 32);
        var together = pooler.Forward(groups);
        var second = pooler.Forward(groups[.., 1..2]);
        var difference = (together[.., 1..2] - second).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"Group 1 pooled alone differs by {difference}.");
    }

    [Fact]
    public void Detokenized_hints_are_five_frames_per_code_and_local_to_their_code()
    {
        manual_seed(10);
        using var detokenizer = new AudioDetokenizer(TinyCheckpoints.DitConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = randn(2, 4, 32);
        var hints = detokenizer.Forward(tokens);
        Assert.Equal([2L, 20, 64], hints.shape);
        var changed = tokens.clone();
        changed[0, 3] = randn(32);
        var other = detokenizer.Forward(changed);
        Assert.True(hints[0, 0..15].allclose(other[0, 0..15], rtol: 0, atol: 1e-6), "Codes 0–2 keep their frames.");
        Assert.False(hints[0, 15..20].allclose(other[0, 15..20]), "Code 3's frames follow code 3.");
    }

    [Fact]
    public void Out_of_range_lm_codes_are_clamped_to_the_codebook()
    {
        // Inputs tried: −3 (below the codebook) and 70 000 (above 63 999), as a malformed LM output could give.
        manual_seed(11);
        using var model = new AceStepConditionGenerationModel(TinyCheckpoints.DitConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clampedHints = model.HintsFromCodes(tensor(new long[] { -3, 70_000 }, [1, 2]));
        var edgeHints = model.HintsFromCodes(tensor(new long[] { 0, 63_999 }, [1, 2]));
        Assert.Equal([1L, 10, 64], clampedHints.shape);
        Assert.True(clampedHints.allclose(edgeHints, rtol: 0, atol: 0));
    }
}
