using TorchSharp;
using static TorchSharp.torch;

namespace AceStep.Engine.Model.Lm;

/// <summary>
/// Picks one token per result from guided logits (spec §7.4 step 5): temperature and the top-k/top-p filters in the
/// order <see cref="LmSamplingOptions.TemperatureOrder"/> gives (by default upstream's on that device: filters first on
/// CPU, temperature first on CUDA), then a draw from each result's own generator seeded with its seed, so a result's
/// tokens depend on its seed only and not on the other results of the batch. Temperature 0 takes the most likely token.
/// </summary>
public sealed class TokenSampler : IDisposable
{
    private readonly Generator[] _generators;
    private readonly LmSamplingOptions _options;

    /// <summary>Creates one generator per result.</summary>
    /// <param name="seeds">One seed per result (row of the logits).</param>
    /// <param name="options">Sampling options.</param>
    /// <param name="device">Device of the logits (generators are per device).</param>
    public TokenSampler(IReadOnlyList<long> seeds, LmSamplingOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(options);
        if (seeds.Count == 0)
            throw new ArgumentException("At least one seed is required.", nameof(seeds));
        options.Validate();
        _options = options;
        _generators = seeds.Select(s => new Generator(unchecked((ulong)s), device ?? CPU)).ToArray();
    }

    /// <summary>Results (rows) sampled per call.</summary>
    public int Count => _generators.Length;

    /// <summary>Samples from logits [B, V] (B = <see cref="Count"/>, after CFG and constraints) → int64 [B].</summary>
    public Tensor Sample(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 2 || logits.shape[0] != Count)
            throw new ArgumentException($"Expected logits [{Count}, V], got [{string.Join(", ", logits.shape)}].", nameof(logits));
        using var scope = NewDisposeScope();
        var l = logits.to_type(ScalarType.Float32);
        if (_options.Temperature == 0)
            return l.argmax(-1).MoveToOuterDisposeScope();
        if (TemperatureFirst(_options.TemperatureOrder, logits.device_type))
        {
            l = LogitsProcessors.Temperature(l, _options.Temperature);
            l = LogitsProcessors.TopK(l, _options.TopK);
            l = LogitsProcessors.TopP(l, _options.TopP);
        }
        else
        {
            l = LogitsProcessors.TopK(l, _options.TopK);
            l = LogitsProcessors.TopP(l, _options.TopP);
            l = LogitsProcessors.Temperature(l, _options.Temperature);
        }

        var probs = l.softmax(-1);
        var picks = new Tensor[Count];
        for (var b = 0; b < Count; b++)
            picks[b] = probs[b].multinomial(1, replacement: false, generator: _generators[b]);
        return cat(picks, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Whether the temperature comes before top-k/top-p for logits on <paramref name="device"/>.</summary>
    public static bool TemperatureFirst(TemperatureOrder order, DeviceType device) => order switch
    {
        TemperatureOrder.BeforeFilters => true,
        TemperatureOrder.AfterFilters => false,
        _ => device == DeviceType.CUDA,
    };

    /// <summary>Frees the generators.</summary>
    public void Dispose()
    {
        foreach (var g in _generators)
            g.Dispose();
    }
}
