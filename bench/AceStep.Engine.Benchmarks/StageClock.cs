using System.Diagnostics;
using AceStep.Engine.Pipelines;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Seconds spent in each of MusicPipeline's progress stages (text-encoder, vae-encode, diffusion, vae-decode, splice),
/// timed from the moments the reported stage changes; pass <see cref="Report"/> as the pipeline's progress callback.
/// </summary>
internal sealed class StageClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _current = string.Empty;
    private double _started;

    /// <summary>Seconds per stage, in the order the stages first ran.</summary>
    public Dictionary<string, double> Seconds { get; } = new(StringComparer.Ordinal);

    /// <summary>Seconds since the clock was made.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>The pipeline's progress callback.</summary>
    public PipelineProgress Report => (_, stage) =>
    {
        if (stage == _current)
            return;
        Close();
        _current = stage;
        _started = Elapsed;
    };

    /// <summary>Ends the stage running now (call once the pipeline has returned).</summary>
    public void Stop()
    {
        Close();
        _current = string.Empty;
    }

    private void Close()
    {
        if (_current.Length > 0)
            Seconds[_current] = Seconds.GetValueOrDefault(_current) + (Elapsed - _started);
    }
}
