using AceStep.Audio;

namespace AceStep.Engine.Analysis.Tests;

/// <summary>Synthetic test material: additive-synth chord cadences, drum patterns and click tracks at 48 kHz stereo.</summary>
internal static class Synth
{
    public const int Rate = 48_000;

    /// <summary>
    /// I–IV–V–I (major) or i–iv–V–i (minor, with the raised leading tone in V) in the key whose tonic is
    /// <paramref name="tonic"/> semitones above C, one chord a second, repeated for <paramref name="seconds"/>.
    /// Each chord is a bass root plus a close triad, every note with six harmonics at 1/h.
    /// </summary>
    public static float[] Cadence(int tonic, bool minor, double seconds, double tuningCents = 0, double chordSeconds = 1)
    {
        var third = minor ? 3 : 4;
        // Chords as semitone offsets from the tonic: (root, third, fifth).
        int[][] chords =
        [
            [0, third, 7],
            [5, 5 + (minor ? 3 : 4), 12],
            [7, 11, 14],
            [0, third, 7],
        ];
        var mono = new float[(int)(seconds * Rate)];
        var chordFrames = (int)(chordSeconds * Rate);
        for (int start = 0, c = 0; start < mono.Length; start += chordFrames, c++)
        {
            var chord = chords[c % chords.Length];
            // Tonic in the octave from C3 (MIDI 48) upwards; the bass an octave below the chord root.
            var basePitch = 48 + tonic;
            Note(mono, start, chordFrames, basePitch - 12 + chord[0], 0.25, tuningCents);
            foreach (var interval in chord)
            {
                Note(mono, start, chordFrames, basePitch + interval, 0.15, tuningCents);
            }
        }
        return mono;
    }

    private static void Note(float[] mono, int start, int frames, int midi, double amplitude, double tuningCents)
    {
        var hz = 440 * Math.Pow(2, (midi - 69 + tuningCents / 100) / 12.0);
        var end = Math.Min(mono.Length, start + frames);
        for (var h = 1; h <= 6; h++)
        {
            var f = hz * h;
            if (f > Rate / 2.5)
            {
                break;
            }
            var step = 2 * Math.PI * f / Rate;
            for (var i = start; i < end; i++)
            {
                var t = (double)(i - start) / Rate;
                // 10 ms attack, gentle decay, 20 ms release at the end of the chord.
                var envelope = Math.Min(1, t / 0.01) * Math.Exp(-t * 1.2) * Math.Min(1, (end - i) / (0.02 * Rate));
                mono[i] += (float)(amplitude / h * envelope * Math.Sin(step * (i - start)));
            }
        }
    }

    /// <summary>
    /// A rock/pop pattern: kick on beats 1 and 3 (and the "and" of 3 when <paramref name="busy"/>), snare on 2 and 4,
    /// hi-hats on every eighth, the off-beat ones delayed by <paramref name="swing"/> (0 = straight, 1/3 = triplet
    /// swing), the first beat of each bar accented.
    /// </summary>
    public static float[] Drums(double bpm, double seconds, double swing = 0, bool busy = false, int seed = 1)
    {
        var random = new Random(seed);
        var mono = new float[(int)(seconds * Rate)];
        var beat = 60.0 / bpm;
        for (var n = 0; n * beat < seconds; n++)
        {
            var t = n * beat;
            var inBar = n % 4;
            var accent = inBar == 0 ? 1.0 : 0.75;
            if (inBar is 0 or 2)
            {
                Kick(mono, t, 0.9 * accent);
            }
            else
            {
                Snare(mono, t, 0.6 * accent, random);
            }
            if (busy && inBar == 2)
            {
                Kick(mono, t + beat * (0.5 + swing / 2), 0.6);
            }
            Hat(mono, t, 0.25 * accent, random);
            Hat(mono, t + beat * (0.5 + swing / 2), 0.15, random);
        }
        return mono;
    }

    /// <summary>A metronome: a 10 ms 1 kHz blip on each beat, 1.5 kHz and louder on the first of each bar.</summary>
    public static float[] Clicks(double bpm, double seconds, int beatsPerBar = 4)
    {
        var mono = new float[(int)(seconds * Rate)];
        var beat = 60.0 / bpm;
        for (var n = 0; n * beat < seconds; n++)
        {
            var first = n % beatsPerBar == 0;
            var start = (int)(n * beat * Rate);
            var hz = first ? 1500 : 1000;
            for (var i = 0; i < Rate / 100 && start + i < mono.Length; i++)
            {
                mono[start + i] += (float)((first ? 0.8 : 0.5) * Math.Exp(-i / (0.003 * Rate)) * Math.Sin(2 * Math.PI * hz * i / Rate));
            }
        }
        return mono;
    }

    private static void Kick(float[] mono, double at, double amplitude)
    {
        var start = (int)(at * Rate);
        var phase = 0.0;
        for (var i = 0; i < 0.25 * Rate && start + i < mono.Length; i++)
        {
            var t = (double)i / Rate;
            var hz = 50 + 90 * Math.Exp(-t / 0.03);
            phase += 2 * Math.PI * hz / Rate;
            mono[start + i] += (float)(amplitude * Math.Exp(-t / 0.12) * Math.Sin(phase));
        }
    }

    private static void Snare(float[] mono, double at, double amplitude, Random random)
    {
        var start = (int)(at * Rate);
        for (var i = 0; i < 0.2 * Rate && start + i < mono.Length; i++)
        {
            var t = (double)i / Rate;
            var body = 0.4 * Math.Sin(2 * Math.PI * 190 * t) * Math.Exp(-t / 0.05);
            var noise = (random.NextDouble() * 2 - 1) * Math.Exp(-t / 0.07);
            mono[start + i] += (float)(amplitude * (body + noise));
        }
    }

    private static void Hat(float[] mono, double at, double amplitude, Random random)
    {
        var start = (int)(at * Rate);
        var previous = 0.0;
        for (var i = 0; i < 0.06 * Rate && start + i < mono.Length; i++)
        {
            var t = (double)i / Rate;
            var noise = random.NextDouble() * 2 - 1;
            // A first difference of white noise: a crude high-pass, bright like a closed hat.
            mono[start + i] += (float)(amplitude * 0.5 * (noise - previous) * Math.Exp(-t / 0.015));
            previous = noise;
        }
    }

    /// <summary>White noise at <paramref name="amplitude"/> (uniform).</summary>
    public static float[] Noise(double seconds, double amplitude, int seed = 7)
    {
        var random = new Random(seed);
        var mono = new float[(int)(seconds * Rate)];
        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = (float)(amplitude * (random.NextDouble() * 2 - 1));
        }
        return mono;
    }

    /// <summary>Adds signals of possibly different lengths (the result is as long as the longest).</summary>
    public static float[] Mix(params float[][] parts)
    {
        var result = new float[parts.Max(p => p.Length)];
        foreach (var part in parts)
        {
            for (var i = 0; i < part.Length; i++)
            {
                result[i] += part[i];
            }
        }
        return result;
    }

    /// <summary>Mono to 48 kHz stereo (both channels equal).</summary>
    public static AudioBuffer Stereo(float[] mono)
    {
        var interleaved = new float[mono.Length * 2];
        for (var i = 0; i < mono.Length; i++)
        {
            interleaved[2 * i] = interleaved[2 * i + 1] = mono[i];
        }
        return new AudioBuffer(interleaved, Rate, 2);
    }
}
