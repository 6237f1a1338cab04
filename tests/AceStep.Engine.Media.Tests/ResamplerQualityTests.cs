using AceStep.Audio;
using Xunit.Abstractions;
using static AceStep.Engine.Media.Tests.ResamplerAnalysis;

namespace AceStep.Engine.Media.Tests;

/// <summary>
/// The quality of <see cref="AudioCodec.ResampleAsync"/> (FFmpeg 5.1's SoX resampler, precision 28) at the
/// conversions the plugin makes, measured on sines and sweeps computed analytically at both rates. Each bound is the
/// measured worst case (docs/audio.md) with margin; each test logs what it measured.
/// </summary>
public sealed class ResamplerQualityTests
{
    /// <summary>Passband bound, DC to 0.9 × the lower Nyquist: measured worst −0.0056 dB (44.1 → 48 kHz at 19.845 kHz).</summary>
    private const double RippleDb = 0.01;

    /// <summary>Stopband bound: measured tones above the target Nyquist, aliases and images all ≤ −149 dB (the float32 noise floor).</summary>
    private const double StopbandDb = -140;

    /// <summary>Alignment bound, output samples: the measured delay is below 1e-8 samples (FFmpeg compensates soxr's delay).</summary>
    private const double DelayBoundSamples = 0.001;

    /// <summary>Sweep-vs-ideal bound, dB re the sweep's amplitude: the passband bound (0.01 dB ≈ −59 dB) plus margin.</summary>
    private const double SweepErrorDb = -55;

    private readonly AudioCodec _codec = new(FfmpegInstallation.Locate());
    private readonly ITestOutputHelper _log;

    public ResamplerQualityTests(ITestOutputHelper log) => _log = log;

    public static TheoryData<int, int> Conversions => new()
    {
        { 44_100, 48_000 },
        { 48_000, 44_100 },
        { 48_000, 96_000 },
        { 88_200, 48_000 },
        { 96_000, 48_000 },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public async Task Passband_sines_keep_their_amplitude_and_phase_and_nothing_else_appears(int from, int to)
    {
        // Input, 1 s stereo: left = five sines of 0.15 each (20 Hz, 1 kHz, 10 kHz, 18 kHz, 0.9 × the lower Nyquist);
        // right = a stopband probe (downsampling: a 0.5 sine at 1.05 × the target Nyquist, which must vanish;
        // upsampling: a 0.5 sine at 0.97 × the source Nyquist, whose image above it must vanish).
        const double toneAmplitude = 0.15;
        const double probeAmplitude = 0.5;
        var lowerNyquist = Math.Min(from, to) / 2.0;
        double[] tones = [20, 1_000, 10_000, 18_000, 0.9 * lowerNyquist];
        var downsampling = to < from;
        var probeHz = downsampling ? 1.05 * to / 2 : 0.97 * from / 2;
        ResamplerAnalysis.Signal multitone = t => tones.Sum(hz => toneAmplitude * Math.Sin(2 * Math.PI * hz * t));
        var input = Render(from, from, multitone, Sine(probeHz, probeAmplitude));

        var output = await _codec.ResampleAsync(input, to, 2, CancellationToken.None);

        Assert.Equal((to, 2), (output.SampleRate, output.Channels));
        var fits = FitTones(Channel(output, 0), to, tones, to / 4, to / 2, out var leftover);
        foreach (var fit in fits)
        {
            var gainDb = Db(fit.Amplitude / toneAmplitude);
            var delay = fit.DelaySeconds * to;
            _log.WriteLine($"{from}->{to} {fit.Hz,8:0.#} Hz: gain {gainDb:0.000000} dB, delay {delay:0.0E+0} samples");
            Assert.True(Math.Abs(gainDb) <= RippleDb, $"{from}->{to}: a {fit.Hz} Hz sine came out at {gainDb:0.0000} dB (bound ±{RippleDb} dB)");
            Assert.True(Math.Abs(delay) <= DelayBoundSamples, $"{from}->{to}: a {fit.Hz} Hz sine came out {delay:0.0000} output samples late");
        }
        var leftoverDb = Db(leftover / (toneAmplitude * Math.Sqrt(tones.Length / 2.0)));
        _log.WriteLine($"{from}->{to} passband leftover (noise, aliases, images) {leftoverDb:0.0} dB re input RMS");
        Assert.True(leftoverDb <= StopbandDb, $"{from}->{to}: {leftoverDb:0.0} dB of something other than the tones came out");

        var probe = Channel(output, 1);
        double probeDb;
        if (downsampling)
        {
            probeDb = Db(Rms(probe, to / 4, to / 2) / (probeAmplitude / Math.Sqrt(2)));
        }
        else
        {
            FitTones(probe, to, [probeHz], to / 4, to / 2, out var image);
            probeDb = Db(image / (probeAmplitude / Math.Sqrt(2)));
        }
        _log.WriteLine($"{from}->{to} stopband probe {probeHz:0} Hz: {(downsampling ? "output" : "image")} {probeDb:0.0} dB re input RMS");
        Assert.True(probeDb <= StopbandDb, $"{from}->{to}: a {probeHz:0} Hz sine left {probeDb:0.0} dB (bound {StopbandDb} dB)");
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public async Task A_log_sweep_comes_out_flat_aligned_from_its_first_sample_and_of_the_exact_length(int from, int to)
    {
        // Input, stereo: a 0.5 log sweep 20 Hz → 0.9 × the lower Nyquist (10 ms fade in, 20 ms fade out) over
        // 1 s + 123 frames (a length that does not convert to whole frames), left as is and right inverted.
        const double amplitude = 0.5;
        var frames = from + 123;
        var seconds = (double)frames / from;
        var top = 0.9 * Math.Min(from, to) / 2;
        var sweep = LogSweep(20, top, seconds, amplitude, 0.010, 0.020);
        var input = Render(from, frames, sweep, t => -sweep(t));

        var output = await _codec.ResampleAsync(input, to, 2, CancellationToken.None);

        var expectedFrames = (int)Math.Round((double)frames * to / from, MidpointRounding.AwayFromZero);
        _log.WriteLine($"{from}->{to}: {frames} frames in, {output.Frames} out, round(N·out/in) = {expectedFrames}");
        Assert.InRange(output.Frames, expectedFrames - 1, expectedFrames + 1);

        // The ideal output is the same analytic sweep rendered at the target rate: any delay, ripple or lost start
        // shows as a difference sample by sample (a 0.01-sample delay at 20 kHz alone would be about −30 dB).
        var ideal = Channel(Render(to, output.Frames, sweep), 0);
        var worstDb = double.NegativeInfinity;
        var worstFrameDb = 0.0;
        var frameLength = to / 50;
        for (var channel = 0; channel < 2; channel++)
        {
            var sign = channel == 0 ? 1 : -1;
            var x = Channel(output, channel);
            var (channelWorstDb, worstAt) = (double.NegativeInfinity, 0);
            for (var n = 0; n < x.Length; n++)
            {
                var e = Db(Math.Abs(x[n] - sign * ideal[n]) / amplitude);
                if (e > channelWorstDb)
                {
                    (channelWorstDb, worstAt) = (e, n);
                }
            }
            worstDb = Math.Max(worstDb, channelWorstDb);
            // Frame-wise envelope, 20 ms frames between the fades: output RMS against the ideal's RMS.
            for (var start = to / 100; start + frameLength <= x.Length - to / 50; start += frameLength)
            {
                var ratio = Db(Rms(x, start, frameLength) / Rms(ideal, start, frameLength));
                if (Math.Abs(ratio) > Math.Abs(worstFrameDb))
                {
                    worstFrameDb = ratio;
                }
            }
            _log.WriteLine($"{from}->{to} ch{channel}: worst sample error {channelWorstDb:0.0} dB re amplitude at frame {worstAt} " +
                $"({SweepHz(20, top, seconds, (double)worstAt / to):0} Hz); first 20 ms error {Db(MaxError(x, ideal, sign, 0, to / 50) / amplitude):0.0} dB");
        }
        _log.WriteLine($"{from}->{to}: worst 20 ms envelope deviation {worstFrameDb:0.00000} dB");
        Assert.True(worstDb <= SweepErrorDb, $"{from}->{to}: the sweep differs from the ideal by {worstDb:0.0} dB re its amplitude");
        Assert.True(Math.Abs(worstFrameDb) <= RippleDb, $"{from}->{to}: the sweep's envelope deviates {worstFrameDb:0.0000} dB");
    }

    [Fact]
    public async Task Same_rate_and_channels_is_an_exact_copy()
    {
        // Input: 48 kHz stereo, 1 s of a 0.5 log sweep on the left and a 997 Hz sine on the right, converted to 48 kHz stereo.
        var input = Render(48_000, 48_000, LogSweep(20, 21_600, 1.0, 0.5, 0.01, 0.02), Sine(997, 0.5));
        var output = await _codec.ResampleAsync(input, 48_000, 2, CancellationToken.None);
        Assert.Equal((48_000, 2, input.Frames), (output.SampleRate, output.Channels, output.Frames));
        Assert.Equal(input.Samples, output.Samples);
    }

    // Mono ↔ stereo is at unity gain (ChannelLayout): mono is duplicated onto both sides, as the API says, and
    // stereo → mono is (L + R)/2. FFmpeg's default equal-power matrix (−3 dB) is not used for these layouts.
    private const double UnityDb = 0;
    private static readonly double HalfDb = Db(0.5);

    [Fact]
    public async Task Mono_to_stereo_duplicates_the_signal_at_unity_gain()
    {
        // Input: 44.1 kHz mono, 1 s 1 kHz sine at 0.5, converted to 48 kHz stereo.
        var output = await _codec.ResampleAsync(Render(44_100, 44_100, Sine(1_000, 0.5)), 48_000, 2, CancellationToken.None);
        Assert.Equal((48_000, 2), (output.SampleRate, output.Channels));
        var left = FitTones(Channel(output, 0), 48_000, [1_000], 12_000, 24_000, out var leftover)[0];
        _log.WriteLine($"mono->stereo: each side {Db(left.Amplitude / 0.5):0.0000} dB, delay {left.DelaySeconds * 48_000:0.0E+0} samples, leftover {Db(leftover / 0.5):0.0} dB");
        Assert.Equal(Channel(output, 0), Channel(output, 1));
        Assert.InRange(Db(left.Amplitude / 0.5), UnityDb - RippleDb, UnityDb + RippleDb);
        Assert.InRange(left.DelaySeconds * 48_000, -DelayBoundSamples, DelayBoundSamples);
        Assert.True(Db(leftover / 0.5) <= StopbandDb);
    }

    [Fact]
    public async Task Stereo_to_mono_averages_the_channels()
    {
        // Input: 48 kHz stereo, 1 s, left a 1 kHz sine at 0.5, right a 3 kHz sine at 0.5, converted to 44.1 kHz mono.
        var output = await _codec.ResampleAsync(Render(48_000, 48_000, Sine(1_000, 0.5), Sine(3_000, 0.5)), 44_100, 1, CancellationToken.None);
        Assert.Equal((44_100, 1), (output.SampleRate, output.Channels));
        var fits = FitTones(Channel(output, 0), 44_100, [1_000, 3_000], 11_025, 22_050, out var leftover);
        _log.WriteLine($"stereo->mono: left's 1 kHz {Db(fits[0].Amplitude / 0.5):0.0000} dB, right's 3 kHz {Db(fits[1].Amplitude / 0.5):0.0000} dB, leftover {Db(leftover / 0.5):0.0} dB");
        foreach (var fit in fits)
        {
            // Each side contributes half its level to the average.
            Assert.InRange(Db(fit.Amplitude / 0.5), HalfDb - RippleDb, HalfDb + RippleDb);
            Assert.InRange(fit.DelaySeconds * 44_100, -DelayBoundSamples, DelayBoundSamples);
        }
        Assert.True(Db(leftover / 0.5) <= StopbandDb);
    }

    private static double MaxError(double[] x, double[] ideal, int sign, int start, int count)
    {
        var worst = 0.0;
        for (var n = start; n < start + count; n++)
        {
            worst = Math.Max(worst, Math.Abs(x[n] - sign * ideal[n]));
        }
        return worst;
    }
}
