using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Sampling;

/// <summary>Which bands <see cref="WaveletCorrection"/> corrects (upstream's <c>dcw_mode</c>).</summary>
public enum WaveletCorrectionMode
{
    /// <summary>Low band only, strength scaler·t.</summary>
    Low,

    /// <summary>High band only, strength scaler·(1 − t).</summary>
    High,

    /// <summary>Low band with scaler·t and high band with highScaler·(1 − t): upstream's default <c>"double"</c>.</summary>
    Both,

    /// <summary>No wavelet: x ← x + scaler·(x − x̂₀) in latent space.</summary>
    Pixel,
}

/// <summary>
/// DCW, "Differential Correction in Wavelet domain" (spec §8.4, [R-latest]; Yu et al., CVPR 2026), as latest upstream
/// applies it after every sampler step by default (<c>dcw_enabled=True, dcw_mode="double", dcw_scaler=0.05,
/// dcw_high_scaler=0.02, dcw_wavelet="haar"</c>). With x the sample after the step and x̂₀ = x_before − v·t the clean
/// sample the step's velocity predicts, a one-level Haar transform along time (per channel, an odd length padded with
/// one zero frame, as <c>pytorch_wavelets</c>' <c>DWT1DForward(J=1, mode="zero")</c> does) splits both into low and high
/// bands; each corrected band moves away from the prediction's, x_B ← x_B + λ_B·(x_B − x̂₀_B), and the inverse
/// transform, cropped to T, is the new sample. Computed in float32 with float32 filter taps 1/√2 as upstream, then
/// cast back to the sample's dtype. Only the Haar wavelet is implemented (upstream's default and the only one its UI
/// tunes). At the last step x = x̂₀, so it changes nothing there.
/// </summary>
/// <param name="Enabled">False turns it off (the sampler then is plain Euler).</param>
/// <param name="Mode">Bands to correct.</param>
/// <param name="Scaler">λ for the low band (and for <see cref="WaveletCorrectionMode.High"/> and
/// <see cref="WaveletCorrectionMode.Pixel"/>).</param>
/// <param name="HighScaler">λ for the high band in <see cref="WaveletCorrectionMode.Both"/>.</param>
public sealed record WaveletCorrection(bool Enabled = true, WaveletCorrectionMode Mode = WaveletCorrectionMode.Both,
    double Scaler = 0.05, double HighScaler = 0.02)
{
    // pywt's Haar taps, 1/√2, as the float32 filter pytorch_wavelets builds.
    private const float Tap = 0.70710677f;

    /// <summary>Latest upstream's default: on, double, 0.05 and 0.02.</summary>
    public static WaveletCorrection Upstream { get; } = new();

    /// <summary>Off: the sampler is the plain Euler integrator of the February release.</summary>
    public static WaveletCorrection Off { get; } = new(Enabled: false);

    /// <summary>Whether it changes anything (enabled and a non-zero strength).</summary>
    public bool IsActive => Enabled && (Mode == WaveletCorrectionMode.Both ? Scaler != 0.0 || HighScaler != 0.0 : Scaler != 0.0);

    /// <summary>Reads <c>on</c>, <c>off</c> (also true/false, 1/0), ignoring case.</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static WaveletCorrection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "ON" or "TRUE" or "1" => Upstream,
            "OFF" or "FALSE" or "0" => Off,
            _ => throw new ArgumentException($"DCW takes on or off, not '{text}'.", nameof(text)),
        };
    }

    /// <summary>The corrected sample for a step that started at <paramref name="t"/>; a new tensor of x's shape and dtype.</summary>
    /// <param name="x">The sample after the step [B, T, C].</param>
    /// <param name="denoised">x̂₀ = x_before − v·t [B, T, C].</param>
    /// <param name="t">The time the step started from (t_curr).</param>
    public Tensor Apply(Tensor x, Tensor denoised, double t)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(denoised);
        if (!IsActive)
        {
            return x.alias();
        }

        using var scope = NewDisposeScope();
        var low = Mode switch
        {
            WaveletCorrectionMode.Low or WaveletCorrectionMode.Both => t * Scaler,
            _ => 0.0,
        };
        var high = Mode switch
        {
            WaveletCorrectionMode.High => (1.0 - t) * Scaler,
            WaveletCorrectionMode.Both => (1.0 - t) * HighScaler,
            _ => 0.0,
        };
        if (Mode == WaveletCorrectionMode.Pixel)
        {
            return (x + Scaler * (x - denoised)).MoveToOuterDisposeScope();
        }

        if (low == 0.0 && high == 0.0)
        {
            return x.alias().MoveToOuterDisposeScope();
        }

        var frames = x.shape[1];
        var (xLow, xHigh) = Analyse(x.to_type(ScalarType.Float32));
        var (yLow, yHigh) = Analyse(denoised.to_type(ScalarType.Float32));
        if (low != 0.0)
            xLow = xLow + low * (xLow - yLow);
        if (high != 0.0)
            xHigh = xHigh + high * (xHigh - yHigh);
        var even = (xLow * Tap) + (xHigh * Tap);                                                        // [B, T/2, C]
        var odd = (xLow * Tap) - (xHigh * Tap);
        var merged = stack([even, odd], dim: 2).reshape(x.shape[0], -1, x.shape[2]);                     // [B, 2⌈T/2⌉, C]
        return merged[.., ..(int)frames, ..].to_type(x.dtype).contiguous().MoveToOuterDisposeScope();
    }

    // One-level Haar analysis along dim 1, an odd length padded with a zero frame: (low, high) [B, ⌈T/2⌉, C].
    private static (Tensor Low, Tensor High) Analyse(Tensor x)
    {
        if (x.shape[1] % 2 == 1)
            x = nn.functional.pad(x, [0, 0, 0, 1]);
        var pairs = x.reshape(x.shape[0], x.shape[1] / 2, 2, x.shape[2]);
        var first = pairs[.., .., 0, ..];
        var second = pairs[.., .., 1, ..];
        return ((first * Tap) + (second * Tap), (first * Tap) - (second * Tap));
    }
}
