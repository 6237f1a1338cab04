using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// Snake activation with log-scale parameters, as diffusers' <c>Snake1d(logscale=True)</c> (spec §6.1):
/// y = x + 1/(exp(β) + 1e-9) · sin(exp(α) · x)². Parameters: <c>alpha</c> [1, C, 1], <c>beta</c> [1, C, 1].
/// Contiguous fp32 CPU input goes through <see cref="SnakeKernel"/> (one pass); anything else through libtorch ops.
/// </summary>
public sealed class Snake1d : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the activation with α = β = 0 (i.e. y = x + sin²x), diffusers' initialisation.</summary>
    /// <param name="channels">Channel count C.</param>
    public Snake1d(long channels) : base(nameof(Snake1d))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        register_parameter("alpha", new Parameter(zeros(1, channels, 1)));
        register_parameter("beta", new Parameter(zeros(1, channels, 1)));
    }

    /// <summary>Channel count C.</summary>
    public long Channels { get; }

    // Looked up by name: Module.to(...) replaces registered parameters and would leave a field pointing at the old one.
    /// <summary>Log frequency <c>alpha</c> [1, C, 1].</summary>
    public Parameter Alpha => get_parameter("alpha") ?? throw new InvalidOperationException("Snake1d lost its alpha.");

    /// <summary>Log inverse magnitude <c>beta</c> [1, C, 1].</summary>
    public Parameter Beta => get_parameter("beta") ?? throw new InvalidOperationException("Snake1d lost its beta.");

    /// <summary>Applies the activation to x [B, C, L] → [B, C, L] (a new tensor; x is left as it was).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!UsesKernel(input))
            return Composed(input);
        var output = empty_like(input);
        Fused(input, output);
        return output;
    }

    /// <summary>
    /// Writes the activation of <paramref name="input"/> [B, C, L] into <paramref name="output"/> (same shape; may be
    /// the input itself, for callers that own it and need it no longer): no full-size tensor is allocated on the CPU
    /// path.
    /// </summary>
    internal void Apply(Tensor input, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (UsesKernel(input) && SnakeKernel.Supports(output) && output.shape.SequenceEqual(input.shape))
        {
            Fused(input, output);
            return;
        }

        using var result = Composed(input);
        output.copy_(result);
    }

    // The kernel writes through pointers, outside autograd: only where no gradient can be asked for (the VAE runs
    // under no_grad with frozen parameters).
    private bool UsesKernel(Tensor input) =>
        SnakeKernel.Supports(input) &&
        !(is_grad_enabled() && (input.requires_grad || Alpha.requires_grad || Beta.requires_grad));

    private void Fused(Tensor input, Tensor output)
    {
        if (input.shape[1] != Channels)
            throw new ArgumentException($"Snake1d has {Channels} channels; the input is [{string.Join(", ", input.shape)}].", nameof(input));
        // α and β are read on every call (C values): a weight load or Module.to may have replaced them since.
        float[] frequency, magnitude;
        using (NewDisposeScope())
        {
            frequency = ToArray(Alpha.exp());
            magnitude = ToArray((Beta.exp() + 1e-9).reciprocal());
        }

        SnakeKernel.Run(input, output, frequency, magnitude);

        static float[] ToArray(Tensor perChannel) =>
            perChannel.to(ScalarType.Float32, CPU).reshape(-1).data<float>().ToArray();
    }

    // Any device and dtype: libtorch ops, with one full-size temporary updated in place.
    private Tensor Composed(Tensor input)
    {
        using var scope = NewDisposeScope();
        var frequency = Alpha.exp();                                   // [1, C, 1]
        var magnitude = (Beta.exp() + 1e-9).reciprocal();              // [1, C, 1]
        var wave = (input * frequency).sin_().pow_(2);                  // [B, C, L]
        return addcmul(input, wave, magnitude, 1).MoveToOuterDisposeScope();
    }
}
