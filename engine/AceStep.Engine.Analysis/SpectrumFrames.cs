using MathNet.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace AceStep.Engine.Analysis;

/// <summary>
/// A short-time Fourier transform that hands each frame's magnitude spectrum to a callback, in frame order. Two real
/// frames share one complex FFT (one as the real part, one as the imaginary part), which halves the FFT work. All
/// buffers belong to the instance: one per analysis, none per frame.
/// </summary>
internal sealed class SpectrumFrames
{
    private readonly int _size;
    private readonly int _hop;
    private readonly float[] _window;
    private readonly Complex32[] _buffer;
    private readonly float[] _first;
    private readonly float[] _second;

    /// <summary>Frames of <paramref name="size"/> samples (a power of two) every <paramref name="hop"/> samples, Hann-windowed.</summary>
    public SpectrumFrames(int size, int hop)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The frame size must be a power of two of at least 4.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(hop, 1);
        _size = size;
        _hop = hop;
        _window = new float[size];
        for (var i = 0; i < size; i++)
        {
            _window[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / size));
        }
        _buffer = new Complex32[size];
        _first = new float[size / 2 + 1];
        _second = new float[size / 2 + 1];
    }

    /// <summary>Bins per spectrum: size / 2 + 1.</summary>
    public int Bins => _size / 2 + 1;

    /// <summary>
    /// The magnitude of a full-scale sine at a bin centre, so callers can express magnitudes relative to full scale
    /// (the Hann window's sum over two).
    /// </summary>
    public float FullScale => _size / 4f;

    /// <summary>How many frames a signal of <paramref name="length"/> samples has (the last one zero-padded).</summary>
    public int FrameCount(int length) => length <= 0 ? 0 : 1 + Math.Max(0, (length - _size + _hop - 1) / _hop);

    /// <summary>
    /// Calls <paramref name="onFrame"/> with (frame index, magnitudes) for every frame of <paramref name="signal"/>.
    /// The magnitudes array is reused; copy what must outlive the call.
    /// </summary>
    public void Run(ReadOnlySpan<float> signal, Action<int, float[]> onFrame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var frames = FrameCount(signal.Length);
        for (var f = 0; f < frames; f += 2)
        {
            if ((f & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            var pair = f + 1 < frames;
            Load(signal, f, pair);
            Fourier.Forward(_buffer, FourierOptions.NoScaling);
            Split(pair);
            onFrame(f, _first);
            if (pair)
            {
                onFrame(f + 1, _second);
            }
        }
    }

    private void Load(ReadOnlySpan<float> signal, int frame, bool pair)
    {
        var a = frame * _hop;
        var b = a + _hop;
        for (var i = 0; i < _size; i++)
        {
            var re = a + i < signal.Length ? signal[a + i] * _window[i] : 0f;
            var im = pair && b + i < signal.Length ? signal[b + i] * _window[i] : 0f;
            _buffer[i] = new Complex32(re, im);
        }
    }

    /// <summary>
    /// Separates the two real spectra: with Z = FFT(a + i·b), A[k] = (Z[k] + conj Z[N−k]) / 2 and
    /// B[k] = (Z[k] − conj Z[N−k]) / 2i; only magnitudes are kept.
    /// </summary>
    private void Split(bool pair)
    {
        for (var k = 0; k <= _size / 2; k++)
        {
            var z = _buffer[k];
            var m = _buffer[(_size - k) & (_size - 1)];
            var aRe = 0.5f * (z.Real + m.Real);
            var aIm = 0.5f * (z.Imaginary - m.Imaginary);
            _first[k] = MathF.Sqrt(aRe * aRe + aIm * aIm);
            if (pair)
            {
                var bRe = 0.5f * (z.Imaginary + m.Imaginary);
                var bIm = 0.5f * (m.Real - z.Real);
                _second[k] = MathF.Sqrt(bRe * bRe + bIm * bIm);
            }
        }
    }
}
