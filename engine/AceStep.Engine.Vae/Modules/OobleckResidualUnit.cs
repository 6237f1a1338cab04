using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// Residual unit (diffusers <c>OobleckResidualUnit</c>, spec §6.1): y = x + conv2(snake2(conv1(snake1(x)))), conv1
/// kernel 7 with dilation d and padding 3d (length kept), conv2 kernel 1. Parameters: <c>snake1.*</c>,
/// <c>conv1.{weight,bias}</c> [C, C, 7], <c>snake2.*</c>, <c>conv2.{weight,bias}</c> [C, C, 1] (weights already
/// weight-norm folded; the checkpoint stores <c>weight_g</c>/<c>weight_v</c>).
/// </summary>
public sealed class OobleckResidualUnit : nn.Module<Tensor, Tensor>
{
    // Values of one slice of conv1's output (32 MiB of fp32).
    private const long SliceValues = 8L * 1024 * 1024;

    private readonly Snake1d _snake1;
    private readonly Conv1d _conv1;
    private readonly Snake1d _snake2;
    private readonly Conv1d _conv2;

    /// <summary>The dilations of the three units in every encoder and decoder block: 1, 3, 9.</summary>
    public static IReadOnlyList<int> Dilations { get; } = [1, 3, 9];

    /// <summary>Creates the unit with TorchSharp's default (seeded) initialisation.</summary>
    /// <param name="channels">Width C (input = output).</param>
    /// <param name="dilation">Dilation d of the kernel-7 conv.</param>
    public OobleckResidualUnit(long channels, int dilation) : base(nameof(OobleckResidualUnit))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        Dilation = dilation;
        _snake1 = new Snake1d(channels);
        _conv1 = nn.Conv1d(channels, channels, 7, dilation: dilation, padding: 3 * dilation);
        _snake2 = new Snake1d(channels);
        _conv2 = nn.Conv1d(channels, channels, 1);
        register_module("snake1", _snake1);
        register_module("conv1", _conv1);
        register_module("snake2", _snake2);
        register_module("conv2", _conv2);
    }

    /// <summary>Dilation of the kernel-7 conv.</summary>
    public int Dilation { get; }

    /// <summary>Applies the unit to x [B, C, L] → [B, C, L] (a new tensor; x is left as it was).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var x = input.clone();
        AddInPlace(x, empty_like(x));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x ← x + conv2(snake2(conv1(snake1(x)))) in place, for callers that own x [B, C, L]. <paramref name="scratch"/>
    /// (x's shape, contents ignored) takes snake1's output, so a block's three units share one buffer. The branch after
    /// it runs in slices of time (each with conv1's reach of 3d samples on both sides, read from the scratch, which keeps
    /// snake1(x) whole while x is updated): so the only other tensor is one slice of conv1's output, not a third
    /// full-size tensor (in the first encoder and last decoder blocks at 48 kHz, 128 channels per sample). Fresh tensors
    /// of full size also cost page faults on every call, which the profile found as expensive as the arithmetic of the
    /// element-wise layers.
    /// </summary>
    internal void AddInPlace(Tensor x, Tensor scratch)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(scratch);
        using var scope = NewDisposeScope();
        _snake1.Apply(x, scratch);
        long channels = x.shape[1], length = x.shape[2];
        var reach = 3L * Dilation;                                      // conv1's padding: its reach on each side
        var slice = SliceSamples ?? Math.Max(1, SliceValues / channels);
        var weight1 = StoredWeight.As(_conv1.weight, x)!;
        var bias1 = StoredWeight.As(_conv1.bias, x);
        // conv2 has kernel 1: a matrix product, accumulated straight into x (no output tensor, no separate sum).
        // diffusers crops x when the branch is shorter; with padding 3d it never is, so the sum is direct.
        var weight2 = StoredWeight.As(_conv2.weight, x)!.view(_conv2.weight!.shape[0], _conv2.weight.shape[1]);  // [C, C]
        for (long b = 0; b < x.shape[0]; b++)
        {
            var source = scratch.narrow(0, b, 1);                       // [1, C, L]
            var target = x[b];                                          // [C, L]
            for (long first = 0; first < length; first += slice)
            {
                using var step = NewDisposeScope();
                var count = Math.Min(slice, length - first);
                var from = Math.Max(0, first - reach);
                var to = Math.Min(length, first + count + reach);
                var input = source.narrow(2, from, to - from);
                // Zeros where the reach passes the ends, as conv1's own padding would put them: by the convolution itself
                // when both sides need the same (a tensor within one slice, or a slice inside it), else by a copy of the
                // slice padded on one side.
                var (left, right) = (reach - (first - from), reach - (to - first - count));
                if (left != right)
                {
                    input = nn.functional.pad(input, [left, right]);
                    left = 0;
                }

                var h = nn.functional.conv1d(input, weight1, bias1, padding: left, dilation: Dilation);   // [1, C, count]
                _snake2.Apply(h, h);
                target.narrow(1, first, count).addmm_(weight2, h[0]);
            }
        }

        if (StoredWeight.As(_conv2.bias, x) is { } bias)
            x.add_(bias.view(1, -1, 1));
    }

    // Samples per slice; null: as many as fit SliceValues (tests slice finer).
    internal long? SliceSamples { get; set; }
}
