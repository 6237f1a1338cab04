using AceStep.Audio;
using AceStep.Engine.Analysis;
using BenchmarkDotNet.Attributes;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Key and tempo estimation (the <c>audioAnalysis</c> task) on the engine's longest input: 10 minutes of 48 kHz stereo
/// (a chord cadence over a 120 BPM drum pattern, tiled). The plugin's "auto" key waits on this.
/// </summary>
[WarmupCount(1)]
[IterationCount(3)]
[InvocationCount(1)]
public class AnalysisBenchmarks
{
    private AudioBuffer? _audio;

    [GlobalSetup]
    public void Setup()
    {
        const int rate = 48_000;
        var samples = new float[rate * 600 * 2];
        for (var i = 0; i < rate * 600; i++)
        {
            var t = (double)i / rate;
            var chord = (int)(t / 2) % 4 switch { 0 => 261.63, 1 => 349.23, 2 => 392.0, _ => 261.63 };
            var beat = t % 0.5;
            var value = (0.2 * Math.Sin(2 * Math.PI * chord * t)) + (0.1 * Math.Sin(2 * Math.PI * chord * 1.25 * t))
                + (0.1 * Math.Sin(2 * Math.PI * chord * 1.5 * t)) + (0.5 * Math.Exp(-beat / 0.02) * Math.Sin(2 * Math.PI * 60 * beat));
            samples[2 * i] = samples[(2 * i) + 1] = (float)value;
        }

        _audio = new AudioBuffer(samples, rate, 2);
    }

    [Benchmark(Description = "key + tempo of 10 min, 48 kHz stereo")]
    public AudioAnalysis Analyze() => AudioAnalyzer.Analyze(_audio!);
}
