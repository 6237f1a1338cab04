using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AceStep.Engine.Vae.Modules;

/// <summary>
/// Snake activation with log-scale parameters, as diffusers' <c>Snake1d(logscale=True)</c> (spec §6.1):
/// y = x + 1/(exp(β) + 1e-9) · sin(exp(α) · x)². Parameters: <c>alpha</c> [1, C, 1], <c>beta</c> [1, C, 1].
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

    /// <summary>Applies the activation to x [B, C, L] → [B, C, L].</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var frequency = Alpha.exp();                                   // [1, C, 1]
        var magnitude = (Beta.exp() + 1e-9).reciprocal();              // [1, C, 1]
        // One full-size temporary, updated in place: at 48 kHz and 128 channels every extra pass over x is
        // hundreds of MB of memory traffic.
        var wave = (input * frequency).sin_().pow_(2);                  // [B, C, L]
        return addcmul(input, wave, magnitude, 1).MoveToOuterDisposeScope();
    }
}
