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
        CheckRows(logits);
        using var scope = NewDisposeScope();
        var l = logits.to_type(ScalarType.Float32);
        if (_options.Temperature == 0)
            return l.argmax(-1).MoveToOuterDisposeScope();
        return Draw(Filter(l)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Samples from the logits of one block of a <paramref name="vocabSize"/>-token vocabulary, every token outside the
    /// block being impossible (−∞) → int64 [B] token ids of the whole vocabulary. Picks the same token as
    /// <see cref="Sample(Tensor)"/> on the full-width logits with −∞ outside the block: the filters only ever keep block
    /// tokens, so they run on the block alone (top-p's sort over 64 000 codes instead of 217 204 ids), and the draw is
    /// made over the full width with −∞ put back, because libtorch's multinomial consumes the generator per element of
    /// the row it is given — a draw over the block alone would pick other tokens for the same seed.
    /// </summary>
    /// <param name="logits">[B, rows.Count]: the logits of token ids rows.First .. rows.End − 1.</param>
    /// <param name="rows">Which ids the columns are.</param>
    /// <param name="vocabSize">The full vocabulary the draw is made over.</param>
    public Tensor Sample(Tensor logits, VocabularyRange rows, long vocabSize)
    {
        ArgumentNullException.ThrowIfNull(logits);
        CheckRows(logits);
        rows.ThrowIfOutside(vocabSize);
        if (logits.shape[1] != rows.Count)
            throw new ArgumentException($"Expected {rows.Count} logits per row for ids {rows.First}..{rows.End - 1}, got {logits.shape[1]}.", nameof(logits));
        using var scope = NewDisposeScope();
        var l = logits.to_type(ScalarType.Float32);
        if (_options.Temperature == 0)
            return (l.argmax(-1) + rows.First).MoveToOuterDisposeScope();   // the first maximum, as over the full width
        var filtered = Filter(l);
        var full = torch.full([Count, vocabSize], double.NegativeInfinity, ScalarType.Float32, l.device);
        full.narrow(1, rows.First, rows.Count).copy_(filtered);
        return Draw(full).MoveToOuterDisposeScope();
    }

    // Temperature and the top-k/top-p filters in the configured order.
    private Tensor Filter(Tensor l)
    {
        if (TemperatureFirst(_options.TemperatureOrder, l.device_type))
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

        return l;
    }

    // One draw per row from softmax(l), each from its result's own generator.
    private Tensor Draw(Tensor l)
    {
        var probs = l.softmax(-1);
        var picks = new Tensor[Count];
        for (var b = 0; b < Count; b++)
            picks[b] = probs[b].multinomial(1, replacement: false, generator: _generators[b]);
        return cat(picks, 0);
    }

    private void CheckRows(Tensor logits)
    {
        if (logits.dim() != 2 || logits.shape[0] != Count)
            throw new ArgumentException($"Expected logits [{Count}, V], got [{string.Join(", ", logits.shape)}].", nameof(logits));
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
