using AceStep.Engine.Model.Conditioning;
using AceStep.Engine.Model.Modules;
using AceStep.Engine.Model.Tests.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Conditioning;

public class ConditioningTests
{
    private static readonly EncoderStackSizes Sizes = new(32, 64, 4, 2, 8, 1_000_000.0, 1e-6);

    private static nn.Module Child(nn.Module parent, string name) => parent.named_children().Single(c => c.name == name).module;

    [Fact]
    public void Packing_moves_valid_tokens_first_in_order_and_padding_last()
    {
        using var scope = NewDisposeScope();
        // Item 0: first = [a0 a1 pad], second = [b0 pad]; item 1: all valid. Hidden value = a distinct id per token.
        var first = tensor(new float[] { 1, 2, -1, 4, 5, 6 }, [2, 3, 1]);
        var firstMask = tensor(new long[] { 1, 1, 0, 1, 1, 1 }, [2, 3]);
        var second = tensor(new float[] { 10, -2, 20, 30 }, [2, 2, 1]);
        var secondMask = tensor(new long[] { 1, 0, 1, 1 }, [2, 2]);
        var (packed, mask) = SequencePacking.Pack(first, firstMask, second, secondMask);
        Assert.Equal(new float[] { 1, 2, 10, -1, -2, 4, 5, 6, 20, 30 }, packed.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 1, 1, 1, 1, 1 }, mask.data<long>().ToArray());
    }

    [Fact]
    public void An_unpadded_item_packs_as_lyrics_then_timbre_then_caption()
    {
        manual_seed(3);
        using var encoder = new ConditionEncoder(TinyCheckpoints.DitConfig());
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputs = new ConditionInputs(randn(1, 4, 24), ones(1, 4, dtype: ScalarType.Int64), randn(1, 6, 24),
            ones(1, 6, dtype: ScalarType.Int64), randn(1, 10, 64), [0]);
        var (packed, mask) = encoder.Forward(inputs);
        Assert.Equal([1L, 6 + 1 + 4, 32], packed.shape);
        Assert.Equal(11, mask.sum().item<long>());

        var lyric = Child(encoder, TensorNames.LyricEncoder) as LyricEncoder;
        var timbre = Child(encoder, TensorNames.TimbreEncoder) as TimbreEncoder;
        var projector = Child(encoder, TensorNames.TextProjector) as nn.Module<Tensor, Tensor>;
        var expected = cat([lyric!.Forward(inputs.LyricEmbeddings, inputs.LyricMask), timbre!.Forward(inputs.ReferenceLatents).unsqueeze(1),
            projector!.forward(inputs.TextHidden)], dim: 1);
        Assert.True(expected.allclose(packed, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Padding_a_shorter_lyric_in_a_batch_does_not_change_its_encoding()
    {
        manual_seed(4);
        using var encoder = new LyricEncoder(Sizes, layers: 2, textHidden: 24);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shortLyric = randn(1, 5, 24);
        var alone = encoder.Forward(shortLyric, ones(1, 5, dtype: ScalarType.Int64));
        var padded = cat([shortLyric, randn(1, 3, 24) * 100], dim: 1);                 // garbage in the padded slots
        var batch = cat([padded, randn(1, 8, 24)]);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 8]);
        var together = encoder.Forward(batch, mask);
        Assert.True(alone.allclose(together[0..1, 0..5], rtol: 0, atol: 1e-5), "Key padding must hide padded lyric tokens.");
    }

    [Fact]
    public void Long_reference_clips_see_only_the_band_on_sliding_layers()
    {
        // One sliding layer (index 0): frame 0 must not see frame 200 (|i − j| > 128) but must see frame 100.
        manual_seed(5);
        using var encoder = new TimbreEncoder(Sizes, layers: 1, timbreChannels: 64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clip = randn(1, 300, 64);
        var baseline = encoder.Forward(clip);
        var far = clip.clone();
        far[0, 200] = randn(64) * 10;
        Assert.True(baseline.allclose(encoder.Forward(far), rtol: 0, atol: 1e-6), "Frame 200 is outside the ±128 band.");
        var near = clip.clone();
        near[0, 100] = randn(64) * 10;
        Assert.False(baseline.allclose(encoder.Forward(near), rtol: 0, atol: 1e-4), "Frame 100 is inside the band.");
    }

    [Fact]
    public void The_timbre_vector_is_position_zero_and_ignores_the_unused_special_token()
    {
        manual_seed(6);
        using var encoder = new TimbreEncoder(Sizes, layers: 2, timbreChannels: 64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clip = randn(2, 20, 64);
        var before = encoder.Forward(clip);
        encoder.get_parameter(TensorNames.SpecialToken)!.fill_(5.0f);
        Assert.True(before.allclose(encoder.Forward(clip), rtol: 0, atol: 0));
        Assert.Equal([2L, 32], before.shape);
    }

    [Fact]
    public void Reference_clips_unpack_to_their_items_in_order()
    {
        using var scope = NewDisposeScope();
        var clips = tensor(new float[] { 1, 2, 3 }, [3, 1]);
        var (vectors, mask) = TimbreEncoder.Unpack(clips, [1, 0, 1], batch: 2);
        Assert.Equal(new float[] { 2, 0, 1, 3 }, vectors.data<float>().ToArray());
        Assert.Equal(new long[] { 1, 0, 1, 1 }, mask.data<long>().ToArray());
        Assert.Throws<ArgumentException>(() => TimbreEncoder.Unpack(clips, [1, 1, 1], batch: 2));
    }
}
