using AceStep.Engine.Model.Sampling;
using AceStep.Engine.Model.Tests.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Tests.Sampling;

/// <summary>DCW (issue 18 item 4), checked against the filter-bank formulation pytorch_wavelets uses.</summary>
public class WaveletCorrectionTests
{
    private const double Tap = 0.7071067811865476; // pywt's Haar taps

    // pytorch_wavelets' DWT1DForward(J=1, mode="zero", wave="haar") and DWT1DInverse(mode="zero") as convolutions:
    // analysis correlates with the reversed dec_lo/dec_hi ([h, h], [h, −h]) at stride 2 after zero-padding an odd length;
    // synthesis is the transposed convolution with rec_lo/rec_hi ([h, h], [h, −h]); then upstream's dcw_double/low/high.
    private static Tensor Reference(Tensor x, Tensor y, double low, double high)
    {
        using var scope = NewDisposeScope();
        var (b, frames, c) = (x.shape[0], x.shape[1], x.shape[2]);
        Tensor Bands(Tensor v)
        {
            var rows = v.to_type(ScalarType.Float32).transpose(1, 2).reshape(b * c, 1, frames);
            if (frames % 2 == 1)
                rows = nn.functional.pad(rows, [0, 1]);
            var filters = tensor(new[] { (float)Tap, (float)Tap, (float)Tap, (float)-Tap }).view(2, 1, 2);
            return nn.functional.conv1d(rows, filters, stride: 2);                                         // [BC, 2, ⌈T/2⌉]
        }

        var xb = Bands(x);
        var yb = Bands(y);
        var xl = xb[.., 0..1, ..];
        var xh = xb[.., 1..2, ..];
        xl = xl + low * (xl - yb[.., 0..1, ..]);
        xh = xh + high * (xh - yb[.., 1..2, ..]);
        var g0 = tensor(new[] { (float)Tap, (float)Tap }).view(1, 1, 2);
        var g1 = tensor(new[] { (float)Tap, (float)-Tap }).view(1, 1, 2);
        var rec = nn.functional.conv_transpose1d(xl, g0, stride: 2) + nn.functional.conv_transpose1d(xh, g1, stride: 2);
        return rec[.., 0, ..(int)frames].reshape(b, c, frames).transpose(1, 2).to_type(x.dtype).MoveToOuterDisposeScope();
    }

    [Theory]
    [InlineData(16, 0.9)]
    [InlineData(15, 0.3)] // odd length: one zero frame padded, then cropped
    public void Double_mode_matches_pytorch_wavelets_haar_filter_bank(int frames, double t)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var (x, y) = (randn(2, frames, 6), randn(2, frames, 6));
        var dcw = WaveletCorrection.Upstream;
        var expected = Reference(x, y, t * 0.05, (1 - t) * 0.02);
        Assert.True(dcw.Apply(x, y, t).allclose(expected, rtol: 0, atol: 1e-6));
        Assert.False(dcw.Apply(x, y, t).allclose(x, rtol: 0, atol: 1e-4), "It must move the sample.");
    }

    [Fact]
    public void Low_and_high_modes_correct_one_band_and_pixel_mode_none()
    {
        using var scope = NewDisposeScope();
        var (x, y) = (randn(1, 10, 3), randn(1, 10, 3));
        var low = new WaveletCorrection(Mode: WaveletCorrectionMode.Low, Scaler: 0.1);
        Assert.True(low.Apply(x, y, 0.6).allclose(Reference(x, y, 0.06, 0.0), rtol: 0, atol: 1e-6));
        var high = new WaveletCorrection(Mode: WaveletCorrectionMode.High, Scaler: 0.1);
        Assert.True(high.Apply(x, y, 0.6).allclose(Reference(x, y, 0.0, 0.04), rtol: 0, atol: 1e-6));
        var pixel = new WaveletCorrection(Mode: WaveletCorrectionMode.Pixel, Scaler: 0.1);
        Assert.True(pixel.Apply(x, y, 0.6).allclose(x + 0.1 * (x - y), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void It_changes_nothing_where_the_sample_is_its_own_prediction_or_when_off()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 9, 4);
        // The last step: x = x̂₀ exactly (up to the float32 filter round trip).
        Assert.True(WaveletCorrection.Upstream.Apply(x, x, 0.3).allclose(x, rtol: 0, atol: 1e-6));
        var y = randn(1, 9, 4);
        Assert.True(Exact.Same(WaveletCorrection.Off.Apply(x, y, 0.3), x));
        Assert.False(WaveletCorrection.Off.IsActive);
        Assert.True(WaveletCorrection.Upstream.IsActive);
    }

    [Fact]
    public void The_result_keeps_the_dtype_of_the_sample()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 8, 4).to_type(ScalarType.BFloat16);
        var y = randn(1, 8, 4).to_type(ScalarType.BFloat16);
        var corrected = WaveletCorrection.Upstream.Apply(x, y, 0.5);
        Assert.Equal(ScalarType.BFloat16, corrected.dtype);
        Assert.True(corrected.to_type(ScalarType.Float32).allclose(Reference(x, y, 0.025, 0.01).to_type(ScalarType.Float32), rtol: 0, atol: 1e-2));
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("OFF", false)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    public void On_and_off_parse(string text, bool active) => Assert.Equal(active, WaveletCorrection.Parse(text).IsActive);

    [Fact]
    public void The_sampler_applies_it_after_each_step_against_x_minus_v_t()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var noise = randn(1, 12, 4, dtype: ScalarType.Float64);
        var target = randn(1, 12, 4, dtype: ScalarType.Float64);
        VelocityFunction velocity = (x, t, _, _) => new VelocityPrediction((x - target) / Math.Max(t, 0.05) * 0.9, null);
        var schedule = TimestepSchedule.Base(5, 3.0);
        var sampled = FlowMatchingSampler.Sample(noise, velocity, new SamplerOptions { Schedule = schedule });

        // By hand: Euler, then DCW with x̂₀ = x_before − v·t.
        var x = noise.clone();
        for (var i = 0; i < schedule.Steps; i++)
        {
            var t = schedule.Values[i];
            var v = velocity(x, t, false, CancellationToken.None).Conditional;
            var next = x - v * schedule.StepSize(i);
            x = WaveletCorrection.Upstream.Apply(next, x - v * t, t);
        }

        Assert.True(sampled.allclose(x, rtol: 0, atol: 1e-12));
        var plain = FlowMatchingSampler.Sample(noise, velocity, new SamplerOptions { Schedule = schedule, Dcw = WaveletCorrection.Off });
        Assert.False(plain.allclose(sampled, rtol: 0, atol: 1e-6), "DCW is on by default, as latest upstream.");
    }
}
