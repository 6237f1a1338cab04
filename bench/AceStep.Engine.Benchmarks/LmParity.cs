using System.Globalization;
using AceStep.Engine.Kernels;
using AceStep.Engine.Model.Compact;
using AceStep.Engine.Model.Lm;
using AceStep.Engine.Torch;
using static TorchSharp.torch;

namespace AceStep.Engine.Benchmarks;

/// <summary>
/// Parity of the LM's compact decode paths against fp32 at the real widths (random weights, seeded): two copies of the
/// same model, one held in a compact format, are fed the same tokens (the fp32 copy's greedy choice among the code rows,
/// teacher forcing) for a few hundred steps; reported per format: the largest logit difference as a fraction of the
/// fp32 logits' range, and how often both copies rank the same code first. The fp32 reference is libtorch's product
/// for the fp32 row and the engine's fp32 kernel for the compact rows (the fp32 row shows the two agree; the kernel is
/// 3–5× faster than libtorch's two-row product, which would otherwise take most of the run). Not a timing, so not a
/// BenchmarkDotNet suite: <c>dotnet run -c Release -- --lm-parity 0.6B [tokens] [fp32,bf16,int8]</c>.
/// </summary>
public static class LmParity
{
    /// <summary>Runs the comparison and prints one line per format.</summary>
    public static void Run(string shape, int tokens, IReadOnlyList<WeightFormat> formats)
    {
        _ = TorchRuntime.Create(new TorchRuntimeOptions { Device = TorchDevicePreference.Cpu });
        var config = LmDecodeBenchmarks.ConfigOf(shape);
        var rows = new VocabularyRange(AudioCodeConstraint.FirstAudioCodeId, AudioCodeConstraint.ValidCodeCount);
        Console.WriteLine($"LM parity, {shape}, {tokens} tokens teacher-forced, CFG pair of rows; CPU {CpuFeatures.Current.Describe()}");
        foreach (var format in formats)
        {
            manual_seed(1);
            using var reference = new Qwen3CausalLm(config);
            if (format != WeightFormat.Float32)
                WeightPacking.HoldAll(reference, new WeightHolding.Packed(WeightFormat.Float32));
            manual_seed(1);
            using var held = new Qwen3CausalLm(config);
            WeightPacking.HoldAll(held, new WeightHolding.Packed(format));
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            manual_seed(2);
            var (ids, mask) = AudioCodeDecoder.LeftPad([
                randint(0, 151_669, [LmDecodeBenchmarks.PromptTokens], dtype: ScalarType.Int64).data<long>().ToArray(),
                randint(0, 151_669, [LmDecodeBenchmarks.UnconditionalPromptTokens], dtype: ScalarType.Int64).data<long>().ToArray()]);
            using var expectedCache = reference.CreateCache(2, ids.shape[1] + tokens + 1);
            using var actualCache = held.CreateCache(2, ids.shape[1] + tokens + 1);
            var expected = reference.Prefill(expectedCache, ids, mask, rows);
            var actual = held.Prefill(actualCache, ids, mask, rows);
            double worst = 0;
            long agree = 0;
            for (var step = 0; step < tokens; step++)
            {
                using var stepScope = NewDisposeScope();
                var range = (expected.max() - expected.min()).item<float>();
                worst = Math.Max(worst, (expected - actual).abs().max().item<float>() / range);
                var next = expected.argmax(1);
                agree += next.eq(actual.argmax(1)).sum().item<long>();
                var feed = (next + rows.First).view(2, 1);
                var e = reference.Step(expectedCache, feed, rows).MoveToOuterDisposeScope();
                var a = held.Step(actualCache, feed, rows).MoveToOuterDisposeScope();
                expected = e;
                actual = a;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {format.Name()}: top-1 agreement {agree}/{2 * tokens} ({100.0 * agree / (2 * tokens):F1} %), max |Δlogit| / logit range {worst:E2}"));
        }
    }
}
