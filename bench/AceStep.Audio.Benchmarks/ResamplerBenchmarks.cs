using System.Collections.Concurrent;
using AceStep.Audio;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using AceStep.Benchmarks;

namespace AceStep.Audio.Benchmarks;

/// <summary>
/// 30 s of stereo (tones plus noise, like a mix) resampled 44.1 → 48 kHz and 48 → 44.1 kHz by our resampler
/// (FFmpeg/libsoxr, the baseline) and by NAudio's WDL resampler as it comes and in its sinc mode. The quality columns
/// are measured on analytic signals in the same run (<see cref="ResamplerQuality"/>).
/// </summary>
[Config(typeof(QualityColumns))]
public class ResamplerBenchmarks
{
    private static readonly ConcurrentDictionary<(string Method, int From), ResamplerQualityResult> Quality = new();
    private AudioBuffer _audio = null!;

    /// <summary>Source rate; the target is the other of 44.1 and 48 kHz.</summary>
    [Params(44_100, 48_000)]
    public int From { get; set; }

    private int To => From == 44_100 ? 48_000 : 44_100;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(19);
        var frames = 30 * From;
        var samples = new float[frames * 2];
        for (var n = 0; n < frames; n++)
        {
            var t = (double)n / From;
            var tone = 0.2 * Math.Sin(2 * Math.PI * 110 * t) + 0.1 * Math.Sin(2 * Math.PI * 2_500 * t);
            samples[2 * n] = (float)(tone + 0.05 * (random.NextDouble() - 0.5));
            samples[2 * n + 1] = (float)(tone * 0.8 + 0.05 * (random.NextDouble() - 0.5));
        }
        _audio = new AudioBuffer(samples, From, 2);
        Quality.GetOrAdd((nameof(Ours_FfmpegSoxr), From), _ => ResamplerQuality.Measure(Resamplers.FfmpegSoxr, From, To));
        Quality.GetOrAdd((nameof(NAudio_Wdl), From), _ => ResamplerQuality.Measure(Resamplers.NAudioWdl, From, To));
        Quality.GetOrAdd((nameof(NAudio_WdlSinc), From), _ => ResamplerQuality.Measure(Resamplers.NAudioWdlSinc, From, To));
    }

    [Benchmark(Baseline = true)]
    public AudioBuffer Ours_FfmpegSoxr() => Resamplers.FfmpegSoxr(_audio, To);

    [Benchmark]
    public AudioBuffer NAudio_Wdl() => Resamplers.NAudioWdl(_audio, To);

    [Benchmark]
    public AudioBuffer NAudio_WdlSinc() => Resamplers.NAudioWdlSinc(_audio, To);

    private sealed class QualityColumns : ManualConfig
    {
        public QualityColumns()
        {
            AddColumn(
                Column("Passband err dB", "largest gain error of tones at 1k/10k/18k Hz and 0.9 x lower Nyquist", q => q.PassbandDb.ToString("0.0000")),
                Column("Other dB", "all but the tones (aliases, images, noise) re input RMS", q => q.OtherDb.ToString("0.0")),
                Column("Stopband dB", "tone at 1.05 x target Nyquist (down) / image of 0.97 x source Nyquist (up)", q => q.StopbandDb.ToString("0.0")),
                Column("Sweep err dB", "max sample error vs the analytic log sweep at the output rate (includes delay)", q => q.SweepErrorDb.ToString("0.0")),
                Column("Frames +/-", "output frames minus round(N x out/in) for a 1 s input", q => q.FrameError.ToString()));
        }

        private static ComputedColumn Column(string name, string legend, Func<ResamplerQualityResult, string> text) =>
            new(name, legend, (_, c) =>
                Quality.TryGetValue((c.Descriptor.WorkloadMethod.Name, (int)c.Parameters["From"]), out var q) ? text(q) : "NA");
    }
}
