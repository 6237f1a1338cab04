using AceStep.Audio;
using AceStep.Contracts.Tasks;

namespace AceStep.Engine.Generation;

/// <summary>
/// A generator without a model, for checking a DAW, plugin or API integration before downloading the weights. It
/// answers the shape of each request as the model does, with a quiet sine (its pitch set by the seed) for new audio:
/// <list type="bullet">
/// <item>text-to-music: the tone, <c>duration</c> long;</item>
/// <item>repaint: the source outside the span bit for bit, the tone inside it, joined with the model's own splice and
/// extended before/after exactly as the model extends (<see cref="RepaintLayout"/>, <see cref="RepaintSplice"/>);</item>
/// <item>cover: the tone shaped by the source's loudness envelope (silent where the source is silent), as long as the
/// source.</item>
/// </list>
/// Each result takes the request's number of steps with a fixed pause per step, so progress and cancel behave as with
/// the model. The engine uses it only when started with <c>--diagnostic-tone</c>.
/// </summary>
public sealed class ToneGenerator : IAudioGenerator
{
    /// <summary>The model's rate, which results come at.</summary>
    public const int SampleRate = 48_000;

    /// <summary>Peak level of the tone.</summary>
    public const float Level = 0.2f;

    private readonly TimeSpan _perStep;

    /// <summary>Creates the generator; <paramref name="perStep"/> is the pause per denoising step.</summary>
    public ToneGenerator(TimeSpan perStep) => _perStep = perStep;

    /// <summary>The tone's pitch for <paramref name="seed"/>: 220 to 659 Hz.</summary>
    public static double Pitch(uint seed) => 220.0 + (seed % 440);

    /// <inheritdoc />
    public string? WhyUnavailable(string model) => null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GeneratedAudio>> GenerateAsync(GenerationJob job, IProgress<GenerationProgress> progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        for (var step = 1; step <= job.Request.Steps; step++)
        {
            await Task.Delay(_perStep, cancellationToken);
            progress.Report(new GenerationProgress((double)step / job.Request.Steps, "diffusion"));
        }
        return job.Seeds.Select(seed => new GeneratedAudio(Result(job, seed), seed)).ToArray();
    }

    /// <summary>One result of <paramref name="job"/> for <paramref name="seed"/> (see the class summary).</summary>
    public static AudioBuffer Result(GenerationJob job, uint seed)
    {
        ArgumentNullException.ThrowIfNull(job);
        var hz = Pitch(seed);
        if (job.Source is not { } source)
        {
            return new AudioBuffer(Tone(hz, (int)Math.Round(job.Request.Duration * SampleRate)), SampleRate, 2);
        }
        var stereo = ToStereo48k(source);
        var sourceFrames = stereo.Length / 2;
        if (job.Request.HasSpan)
        {
            var layout = RepaintLayout.For(job.Request, sourceFrames, SampleRate);
            var extended = layout.Extend(stereo);
            return new AudioBuffer(RepaintSplice.Splice(extended, Tone(hz, layout.OutputSamples), 2, layout.SpanStartSample,
                layout.SpanEndSample, layout.WaveCrossfadeSamples), SampleRate, 2);
        }
        return new AudioBuffer(ShapedByEnvelope(Tone(hz, sourceFrames), stereo), SampleRate, 2);
    }

    private static float[] ToStereo48k(AudioBuffer source)
    {
        if (source.SampleRate != SampleRate || source.Channels is not (1 or 2))
        {
            throw new ArgumentException($"The source must be 48 kHz mono or stereo (the engine converts inputs); got {source.SampleRate} Hz, {source.Channels} channels.");
        }
        return source.Channels == 2 ? source.Samples : ChannelLayout.To(source, 2).Samples;
    }

    /// <summary>Interleaved stereo sine at <paramref name="hz"/> and <see cref="Level"/>.</summary>
    private static float[] Tone(double hz, int frames)
    {
        var samples = new float[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            samples[2 * i] = samples[2 * i + 1] = Level * (float)Math.Sin(2 * Math.PI * hz * i / SampleRate);
        }
        return samples;
    }

    /// <summary>
    /// The tone times the source's envelope (peak of both channels over 10 ms blocks, relative to the source's peak),
    /// so a cover is loud where the source is loud and silent where it is silent.
    /// </summary>
    private static float[] ShapedByEnvelope(float[] tone, float[] source)
    {
        const int block = SampleRate / 100;
        var frames = source.Length / 2;
        var peak = 0f;
        foreach (var s in source)
        {
            peak = Math.Max(peak, Math.Abs(s));
        }
        for (var start = 0; start < frames; start += block)
        {
            var end = Math.Min(frames, start + block);
            var level = 0f;
            for (var i = start * 2; i < end * 2; i++)
            {
                level = Math.Max(level, Math.Abs(source[i]));
            }
            var gain = peak > 0 ? level / peak : 0f;
            for (var i = start * 2; i < end * 2; i++)
            {
                tone[i] *= gain;
            }
        }
        return tone;
    }
}
